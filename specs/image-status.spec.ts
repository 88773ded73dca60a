// ImageService ImageStatus: lookups by every kind of reference, a missing image, size, verbose info.
// Reads the shared busybox image only (pulled once per run, never removed by a test).
import { expect } from 'chai';
import {
  cri,
  ctx,
  digestRefOf,
  expectOk,
  itId,
  normalizeRef,
  pushedManifest,
  RegistryReadError,
  repositoryOf,
  rpc,
  sharedImage,
  skipWithReason,
  useScope,
} from '../src/framework/index.js';

describe('Image', function () {
  useScope();

  rpc('ImageStatus', function () {
    // api.proto ImageStatus: "If the image is not present, returns a response with
    // ImageStatusResponse.Image set to nil."
    itId(
      'image-status.returns-no-image-no-error',
      'returns no image and no error for an image the runtime does not hold',
      async function () {
        const ref = `${repositoryOf(ctx().images.busybox)}:crit-absent-${ctx().runId}`;
        const res = await expectOk(cri().image.ImageStatus({ image: { image: ref } }), `ImageStatus(${ref})`);
        expect(res.image, `ImageStatusResponse.image for absent ${ref}`).to.equal(null);
      },
    );

    // api.proto Image: repo_tags "Other names by which this image is known", repo_digests
    // "Digests by which this image is known"; ImageSpec.image "(e.g. imageID or imageDigest)".
    it('finds one image by its tag, its repository digest and its id', async function () {
      const { ref, image } = await sharedImage(ctx().images.busybox);
      const digestRef = digestRefOf(image, ref);
      expect(image.repo_tags, `ImageStatus(${ref}).image.repo_tags`).to.include(normalizeRef(ref));
      expect(digestRef, `ImageStatus(${ref}).image.repo_digests`)
        .to.be.a('string')
        .and.match(/@sha256:[0-9a-f]{64}$/);

      const byDigest = await cri().image.ImageStatus({ image: { image: digestRef! } });
      expect(byDigest.image?.id, `ImageStatus(${digestRef}).image.id`).to.equal(image.id);
      const byId = await cri().image.ImageStatus({ image: { image: image.id } });
      expect(byId.image?.id, `ImageStatus(${image.id}).image.id`).to.equal(image.id);
    });

    // api.proto Image.size: "Size of the image in bytes. Must be > 0." Runtimes count either the
    // pushed (compressed) blobs or the unpacked layers, so the size is at least the pushed layers
    // and at most a few times them (the busybox layer unpacks to under 5x its gzip size).
    itId(
      'image-status.reports-size-0-close-pushed',
      'reports a size > 0 close to the pushed layer sizes',
      async function () {
        const { ref, image } = await sharedImage(ctx().images.busybox);
        let manifest;
        try {
          manifest = await pushedManifest(ref);
        } catch (err) {
          if (err instanceof RegistryReadError)
            skipWithReason(this, `cannot read the pushed manifest of ${ref}: ${err.message}`);
          throw err;
        }
        const layers = manifest.layers.reduce((sum, l) => sum + l.size, 0);
        const size = Number(image.size);
        expect(size, `ImageStatus(${ref}).image.size`).to.be.greaterThan(0);
        expect(size, `ImageStatus(${ref}).image.size vs pushed layers ${layers} B`).to.be.at.least(layers);
        expect(size, `ImageStatus(${ref}).image.size vs pushed layers ${layers} B`).to.be.at.most(
          5 * layers + manifest.config.size + manifest.manifestSize,
        );
      },
    );

    // api.proto ImageStatusResponse.info: "extra information of the Image ... value should be in
    // json format ... It should only be returned non-empty when Verbose is true."
    itId(
      'image-status.returns-json-debug-info-only',
      'returns JSON debug info only when verbose',
      async function () {
        const { ref } = await sharedImage(ctx().images.busybox);
        const verbose = await cri().image.ImageStatus({ image: { image: ref }, verbose: true });
        const keys = Object.keys(verbose.info);
        expect(keys, `ImageStatus(${ref}, verbose=true).info keys`).to.have.length.greaterThan(0);
        const notJson = keys.filter((k) => {
          try {
            JSON.parse(verbose.info[k]);
            return false;
          } catch {
            return true;
          }
        });
        expect(notJson, `ImageStatus(${ref}, verbose=true).info keys whose value is not JSON`).to.deep.equal([]);

        const terse = await cri().image.ImageStatus({ image: { image: ref }, verbose: false });
        expect(terse.info, `ImageStatus(${ref}, verbose=false).info`).to.deep.equal({});
      },
      { feature: 'verbose' },
    );
  });
});
