import { expect } from 'chai';
import { parseReference, RegistryReadError } from './registry.js';

describe('parseReference', function () {
  it('splits host, repository and tag or digest', function () {
    expect(parseReference('127.0.0.1:5000/c/busybox:1.0')).to.deep.equal({ host: '127.0.0.1:5000', repository: 'c/busybox', reference: '1.0' });
    expect(parseReference('localhost/c/busybox@sha256:abc')).to.deep.equal({ host: 'localhost', repository: 'c/busybox', reference: 'sha256:abc' });
    expect(parseReference('registry.example.com/c/busybox')).to.deep.equal({ host: 'registry.example.com', repository: 'c/busybox', reference: 'latest' });
  });

  it('rejects a reference without a registry host', function () {
    expect(() => parseReference('library/busybox:1.0')).to.throw(RegistryReadError, 'names no registry host');
    expect(() => parseReference('busybox')).to.throw(RegistryReadError);
  });
});
