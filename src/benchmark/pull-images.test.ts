import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generatedRef, generateImage, pseudoRandomBytes, registryOf, tarOneFile } from './pull-images.js';

describe('benchmark pull images', function () {
  it('writes a tar archive that tar(1) lists with the file, its size and mode', function () {
    const data = pseudoRandomBytes('x', 1500);
    const dir = mkdtempSync(join(tmpdir(), 'crit-bench-tar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), tarOneFile('benchmark-pull-0', data));
      const listing = execFileSync('tar', ['-tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
      expect(listing).to.match(/^-rw-r--r-- .* 1500 .* benchmark-pull-0\n$/);
      expect(execFileSync('tar', ['-xOf', join(dir, 'a.tar'), 'benchmark-pull-0']).equals(data)).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates distinct images whose manifest names the config and layer digests', function () {
    const a = generateImage(0, 4, 'amd64');
    const b = generateImage(1, 4, 'amd64');
    const manifest = JSON.parse(a.manifest.toString()) as {
      config: { digest: string; size: number };
      layers: { digest: string; size: number }[];
    };
    const [config, layer] = a.blobs;
    const digest = (d: Buffer): string => `sha256:${createHash('sha256').update(d).digest('hex')}`;
    expect(manifest.config).to.include({ digest: digest(config.data), size: config.data.length });
    expect(manifest.layers[0]).to.include({ digest: digest(layer.data), size: layer.data.length });
    const diffId = (JSON.parse(config.data.toString()) as { rootfs: { diff_ids: string[] } }).rootfs.diff_ids[0];
    expect(diffId, 'diff_id is the digest of the uncompressed layer').to.equal(digest(gunzipSync(layer.data)));
    expect(gunzipSync(layer.data).length).to.be.greaterThan(4 * 1024);
    expect(b.blobs[0].digest, 'each index has its own config').to.not.equal(config.digest);
    expect(generateImage(0, 4, 'amd64').manifest.equals(a.manifest), 'deterministic').to.equal(true);
  });

  it('names the registry of a reference, and the generated images on it', function () {
    expect(registryOf('127.0.0.1:5000/cri-conformance/busybox:1.0')).to.equal('127.0.0.1:5000');
    expect(registryOf('localhost/x')).to.equal('localhost');
    expect(registryOf('library/busybox')).to.equal(undefined);
    expect(registryOf('busybox')).to.equal(undefined);
    expect(generatedRef('127.0.0.1:5000', 3)).to.equal('127.0.0.1:5000/cri-conformance/benchmark-pull-3:1.0');
  });
});
