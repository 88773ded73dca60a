// ImageService PullImage for a runtime handler (ImageSpec.runtime_handler): a pull for a handler
// the runtime has, and the refusal of a handler it does not have. Pulls only busybox, which every
// run holds already and no test removes.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { cri, ctx, ensureImage, expectError, itId, rpc, setup, skipWithReason } from '../src/framework/index.js';

/** The handler to pull for: the run's own when it names one, else a named handler that Status reports. */
async function namedHandler(test: Mocha.Context): Promise<string> {
  if (ctx().runtimeHandler) return ctx().runtimeHandler;
  const { runtime_handlers: handlers } = await cri().runtime.Status({ verbose: false }, { role: 'setup' });
  const named = handlers.find((h) => h.name !== '')?.name;
  if (!named) skipWithReason(test, 'unsupported: StatusResponse.runtime_handlers names no runtime handler to pull for');
  return named;
}

describe('Image', function () {
  rpc('PullImage', { feature: 'image.runtime_handler' }, function () {
    // api.proto ImageSpec.runtime_handler: "Runtime handler to use for pulling the image."
    itId(
      'pull-image.pulls-for-named-runtime-handler',
      'pulls an image for a runtime handler that the runtime has, to the image ImageStatus reports for it',
      async function () {
        const ref = ctx().images.busybox;
        const handler = await namedHandler(this);
        await setup(`image ${ref}`, ensureImage(ref));
        const { image_ref } = await cri().image.PullImage({ image: { image: ref, runtime_handler: handler } });
        expect(image_ref, `PullImageResponse.image_ref of ${ref} for runtime handler "${handler}"`)
          .to.be.a('string')
          .and.not.equal('');
        const { image } = await cri().image.ImageStatus({ image: { image: ref, runtime_handler: handler } });
        expect(image?.id, `ImageStatus(${ref}, runtime handler "${handler}").image.id`).to.equal(image_ref);
      },
    );

    // api.proto ImageSpec.runtime_handler: "If the runtime handler is unknown, the request should be
    // rejected."
    itId(
      'pull-image.rejects-unknown-runtime-handler',
      'rejects a pull for a runtime handler that the runtime does not have',
      async function () {
        const ref = ctx().images.busybox;
        const unknown = `crit-no-such-handler-${randomUUID().slice(0, 8)}`;
        await setup(`image ${ref}`, ensureImage(ref));
        await expectError(
          cri().image.PullImage({ image: { image: ref, runtime_handler: unknown } }),
          `PullImage(${ref}) for the unknown runtime handler "${unknown}"`,
        );
      },
    );
  });
});
