// The images of the PullImage phase. By default the benchmark generates its own small images
// (one layer of deterministic pseudo-random bytes, so each is distinct and incompressible) and
// pushes them to the test-image registry when absent: no conformance test uses them, so pulling
// and removing them never disturbs a suite running at the same time, and `concurrency` workers
// each get an image of their own.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const GENERATED_REPO = 'cri-conformance/benchmark-pull';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG_TYPE = 'application/vnd.oci.image.config.v1+json';
const LAYER_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** `host[:port]` of a reference that names its registry, or undefined (`busybox`, `library/x`). */
export function registryOf(ref: string): string | undefined {
  const first = ref.split('/')[0];
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}

/** The reference of generated image `index` on `registry`. */
export function generatedRef(registry: string, index: number): string {
  return `${registry}/${GENERATED_REPO}-${index}:1.0`;
}

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** `size` bytes that depend only on `seed`: SHA-256 in counter mode. */
export function pseudoRandomBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let offset = 0, n = 0; offset < size; n += 1) {
    offset += createHash('sha256').update(`${seed}:${n}`).digest().copy(out, offset);
  }
  return out;
}

/** A ustar archive holding one regular file, with fixed owner, mode and mtime. */
export function tarOneFile(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (text: string, offset: number, length: number): void => {
    header.write(text.slice(0, length), offset, 'ascii');
  };
  const octal = (n: number, length: number): string => n.toString(8).padStart(length - 1, '0') + '\0';
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

export interface GeneratedImage {
  manifest: Buffer;
  blobs: { digest: string; data: Buffer }[];
}

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The OCI image `index`: one layer of `layerKib` KiB, a config labelled as the benchmark's. */
export function generateImage(
  index: number,
  layerKib: number,
  arch = ARCH[process.arch] ?? process.arch,
): GeneratedImage {
  const tar = tarOneFile(
    `benchmark-pull-${index}`,
    pseudoRandomBytes(`cri-conformance benchmark ${index}`, layerKib * 1024),
  );
  const layer = gzipSync(tar, { level: 1 });
  const config = Buffer.from(
    JSON.stringify({
      architecture: arch,
      os: 'linux',
      config: { Labels: { 'io.cri-conformance.image': `benchmark-pull-${index}` } },
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: CONFIG_TYPE, digest: sha256(config), size: config.length },
      layers: [{ mediaType: LAYER_TYPE, digest: sha256(layer), size: layer.length }],
    }),
  );
  return {
    manifest,
    blobs: [
      { digest: sha256(config), data: config },
      { digest: sha256(layer), data: layer },
    ],
  };
}

function split(ref: string): { host: string; repo: string; tag: string } {
  const host = registryOf(ref);
  if (!host) throw new RegistryError(`${ref} names no registry`);
  const rest = ref.slice(host.length + 1);
  const colon = rest.lastIndexOf(':');
  return colon > 0
    ? { host, repo: rest.slice(0, colon), tag: rest.slice(colon + 1) }
    : { host, repo: rest, tag: 'latest' };
}

/**
 * Pushes image `index` as `ref` unless the registry already has the tag (Docker Registry HTTP API
 * v2, anonymous; plain HTTP for a loopback registry like the test bed's). Returns whether it pushed.
 */
export async function ensurePushed(ref: string, index: number, layerKib: number, timeoutMs: number): Promise<boolean> {
  const { host, repo, tag } = split(ref);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);
  const base = `${loopback ? 'http' : 'https'}://${host}/v2/${repo}`;
  const call = async (
    method: string,
    url: string,
    init: { body?: Buffer; type?: string; accept?: string } = {},
  ): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (init.type) headers['content-type'] = init.type;
    if (init.accept) headers.accept = init.accept;
    try {
      return await fetch(url, {
        method,
        headers,
        body: init.body ? new Uint8Array(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new RegistryError(`${method} ${url}: ${(err as Error).message}`);
    }
  };
  const expectStatus = (res: Response, want: number, what: string): void => {
    if (res.status !== want) throw new RegistryError(`${what}: HTTP ${res.status} from ${res.url}`);
  };
  const head = await call('HEAD', `${base}/manifests/${tag}`, { accept: MANIFEST_TYPE });
  if (head.status === 200) return false;
  const image = generateImage(index, layerKib);
  for (const blob of image.blobs) {
    if ((await call('HEAD', `${base}/blobs/${blob.digest}`)).status === 200) continue;
    const start = await call('POST', `${base}/blobs/uploads/`);
    expectStatus(start, 202, `starting the upload of ${blob.digest}`);
    const location = new URL(start.headers.get('location') ?? '', `${base}/`);
    location.searchParams.set('digest', blob.digest);
    expectStatus(
      await call('PUT', location.toString(), { body: blob.data, type: 'application/octet-stream' }),
      201,
      `uploading ${blob.digest}`,
    );
  }
  expectStatus(
    await call('PUT', `${base}/manifests/${tag}`, { body: image.manifest, type: MANIFEST_TYPE }),
    201,
    `pushing the manifest of ${ref}`,
  );
  return true;
}
