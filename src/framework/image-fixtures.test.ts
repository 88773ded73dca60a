import { expect } from 'chai';
import { digestRefOf, normalizeRef, repositoryOf, type CriImage } from './image-fixtures.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('image references', function () {
  it('takes the repository of tagged, digested and untagged references', function () {
    expect(repositoryOf('127.0.0.1:5000/c/busybox:1.0')).to.equal('127.0.0.1:5000/c/busybox');
    expect(repositoryOf(`127.0.0.1:5000/c/busybox@${DIGEST}`)).to.equal('127.0.0.1:5000/c/busybox');
    expect(repositoryOf('127.0.0.1:5000/c/busybox')).to.equal('127.0.0.1:5000/c/busybox');
    expect(repositoryOf('busybox')).to.equal('busybox');
  });

  it('normalizes references the way runtimes list them in repo_tags', function () {
    expect(normalizeRef('busybox')).to.equal('docker.io/library/busybox:latest');
    expect(normalizeRef('org/app:2')).to.equal('docker.io/org/app:2');
    expect(normalizeRef('127.0.0.1:5000/c/busybox')).to.equal('127.0.0.1:5000/c/busybox:latest');
    expect(normalizeRef('registry.example.com/c/x:1')).to.equal('registry.example.com/c/x:1');
    expect(normalizeRef(`localhost/c/x@${DIGEST}`)).to.equal(`localhost/c/x@${DIGEST}`);
  });

  it('picks the repo digest of the reference its image was named by', function () {
    const image = { repo_digests: [`other.example/x@${DIGEST}`, `127.0.0.1:5000/c/x@${DIGEST}`] } as CriImage;
    expect(digestRefOf(image, '127.0.0.1:5000/c/x:1.0')).to.equal(`127.0.0.1:5000/c/x@${DIGEST}`);
    expect(digestRefOf(image, 'elsewhere.example/y:1')).to.equal(`other.example/x@${DIGEST}`);
    expect(digestRefOf({ repo_digests: [] as string[] } as CriImage, 'a.example/x:1')).to.equal(undefined);
  });
});
