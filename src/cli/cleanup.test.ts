import { expect } from 'chai';
import { UsageError } from '../common/config-file.js';
import { defaultCatalogue } from '../framework/run/images.js';
import { catalogueImages, cleanupHint, parseCleanup } from './cleanup.js';

describe('cri-conformance cleanup', function () {
  it('takes a run id, the endpoints and the timeout as a run does', function () {
    const opts = parseCleanup(['--run', '0a1b2c3d', '--timeout', '5s'], { CONTAINER_RUNTIME_ENDPOINT: '/env.sock' });
    expect(opts).to.include({ runId: '0a1b2c3d', runtimeEndpoint: '/env.sock', timeoutMs: 5_000, keepImages: false });
    const flagged = parseCleanup(['-r', 'unix:///flag.sock', '--keep-images'], {});
    expect(flagged).to.include({ runId: undefined, runtimeEndpoint: 'unix:///flag.sock', keepImages: true });
  });

  it('refuses a run flag, an unknown flag and a malformed run id with one line', function () {
    expect(() => parseCleanup(['--focus', 'x'], {})).to.throw(UsageError, 'cleanup: unknown flag --focus');
    expect(() => parseCleanup(['--run', 'latest'], {})).to.throw(
      UsageError,
      'cleanup: --run takes a run id of 8 hex digits, got "latest"',
    );
    expect(() => parseCleanup(['--timeout', 'soon'], {})).to.throw(UsageError, '--timeout');
  });

  it('removes only the catalogue images, each once', function () {
    const images = catalogueImages(defaultCatalogue());
    expect(images).to.include('127.0.0.1:5000/cri-conformance/busybox:1.0');
    expect(images).to.include('127.0.0.1:5001/cri-conformance/private:1.0');
    expect(images).to.not.include('cri-conformance web ok\n');
    expect(new Set(images).size).to.equal(images.length);
    expect(images.every((r) => r.includes('/cri-conformance/'))).to.equal(true);
  });

  it('names the exact command that removes what a run left', function () {
    expect(cleanupHint('unix:///run/c.sock', '0a1b2c3d')).to.equal(
      'cri-conformance cleanup --runtime-endpoint unix:///run/c.sock --run 0a1b2c3d',
    );
  });
});
