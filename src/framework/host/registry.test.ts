import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseReference, pushedManifest, RegistryReadError } from './registry.js';

describe('parseReference', function () {
  it('splits host, repository and tag or digest', function () {
    expect(parseReference('127.0.0.1:5000/c/busybox:1.0')).to.deep.equal({
      host: '127.0.0.1:5000',
      repository: 'c/busybox',
      reference: '1.0',
    });
    expect(parseReference('localhost/c/busybox@sha256:abc')).to.deep.equal({
      host: 'localhost',
      repository: 'c/busybox',
      reference: 'sha256:abc',
    });
    expect(parseReference('registry.example.com/c/busybox')).to.deep.equal({
      host: 'registry.example.com',
      repository: 'c/busybox',
      reference: 'latest',
    });
  });

  it('rejects a reference without a registry host', function () {
    expect(() => parseReference('library/busybox:1.0')).to.throw(RegistryReadError, 'names no registry host');
    expect(() => parseReference('busybox')).to.throw(RegistryReadError);
  });
});

describe('pushedManifest', function () {
  const manifest = { config: { digest: 'sha256:c', size: 10 }, layers: [{ digest: 'sha256:l', size: 20 }] };
  let server: Server;
  let host: string;
  const asked: { url: string; accept: string }[] = [];

  before(async function () {
    server = createServer((req, res) => {
      asked.push({ url: req.url ?? '', accept: req.headers.accept ?? '' });
      if (req.url === '/v2/c/busybox/manifests/1.0') res.end(JSON.stringify(manifest));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the manifest over plain HTTP when the registry does not speak HTTPS', async function () {
    const got = await pushedManifest(`${host}/c/busybox:1.0`);
    expect(got.layers.map((l) => l.size)).to.deep.equal([20]);
    expect(got.config.size).to.equal(10);
    expect(got.manifestSize).to.equal(Buffer.byteLength(JSON.stringify(manifest)));
    expect(asked.at(-1)?.accept).to.include('application/vnd.oci.image.manifest.v1+json');
  });

  it('names the URL and status of a manifest the registry does not have', async function () {
    const err = await pushedManifest(`${host}/c/busybox:2.0`).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RegistryReadError);
    expect((err as Error).message).to.equal(`GET http://${host}/v2/c/busybox/manifests/2.0 → HTTP 404`);
  });

  it('names both schemes when nothing listens', async function () {
    const err = await pushedManifest('127.0.0.1:1/c/busybox:1.0').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RegistryReadError);
    expect((err as Error).message).to.match(
      /^cannot reach registry 127\.0\.0\.1:1 anonymously \(https: .*ECONNREFUSED.*; http: .*ECONNREFUSED.*\)$/,
    );
  });
});
