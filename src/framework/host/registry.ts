// Reads an image's manifest straight from its registry (OCI distribution API, anonymous), so a
// spec can compare what the runtime reports with what was pushed. Tries HTTPS, then plain HTTP.
import { get as httpGetPlain } from 'node:http';
import { get as httpsGet } from 'node:https';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string };
}

export interface PushedManifest {
  config: Descriptor;
  layers: Descriptor[];
  /** Bytes of the manifest document itself. */
  manifestSize: number;
}

export class RegistryReadError extends Error {
  override name = 'RegistryReadError';
}

/** `host[:port]/path[:tag|@digest]` → parts; a reference without a registry host is rejected. */
export function parseReference(ref: string): { host: string; repository: string; reference: string } {
  const slash = ref.indexOf('/');
  const host = slash > 0 ? ref.slice(0, slash) : '';
  if (!host || !(host.includes('.') || host.includes(':') || host === 'localhost')) {
    throw new RegistryReadError(`${ref} names no registry host`);
  }
  let rest = ref.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else if (rest.lastIndexOf(':') > rest.lastIndexOf('/')) {
    reference = rest.slice(rest.lastIndexOf(':') + 1);
    rest = rest.slice(0, rest.lastIndexOf(':'));
  }
  return { host, repository: rest, reference };
}

const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', s390x: 's390x', ppc64: 'ppc64le' };

async function getManifest(host: string, repository: string, reference: string): Promise<{ body: string }> {
  const errors: string[] = [];
  for (const scheme of ['https', 'http'] as const) {
    const url = `${scheme}://${host}/v2/${repository}/manifests/${reference}`;
    let res: { status: number; body: string };
    try {
      res = await httpGet(scheme, url, { Accept: MANIFEST_TYPES }, 10_000);
    } catch (err) {
      errors.push(`${scheme}: ${(err as Error).message}`);
      continue;
    }
    if (res.status < 200 || res.status > 299) throw new RegistryReadError(`GET ${url} → HTTP ${res.status}`);
    return { body: res.body };
  }
  throw new RegistryReadError(`cannot reach registry ${host} anonymously (${errors.join('; ')})`);
}

/**
 * One GET with node's http/https modules (fetch is avoided: its first use in a process costs tens
 * of ms of setup, which a test would pay). Rejects on a connection error or after `timeoutMs`.
 */
function httpGet(
  scheme: 'http' | 'https',
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  const get = scheme === 'https' ? httpsGet : httpGetPlain;
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** The manifest of `ref` for this host's platform (following an index if the tag names one). */
export async function pushedManifest(ref: string): Promise<PushedManifest> {
  const { host, repository, reference } = parseReference(ref);
  let { body } = await getManifest(host, repository, reference);
  let doc = JSON.parse(body) as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  if (doc.manifests) {
    const arch = GO_ARCH[process.arch] ?? process.arch;
    const entry = doc.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch);
    if (!entry) throw new RegistryReadError(`${ref} is an index without a linux/${arch} manifest`);
    body = (await getManifest(host, repository, entry.digest)).body;
    doc = JSON.parse(body) as typeof doc;
  }
  if (!doc.config || !doc.layers) throw new RegistryReadError(`${ref}: the registry returned no image manifest`);
  return { config: doc.config, layers: doc.layers, manifestSize: Buffer.byteLength(body) };
}
