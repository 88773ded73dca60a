// ImageService PullImage from a registry that requires basic authentication (AuthConfig).
// critest never tests this. Uses only `privateImage`, which no other spec touches.
import { expect } from 'chai';
import {
  cri,
  ctx,
  expectError,
  expectOk,
  imageStatusOf,
  itId,
  removeOwnedImage,
  rpc,
  useScope,
} from '../src/framework/index.js';

/** How registries and runtimes word a refused login (HTTP 401/403), as opposed to "not found". */
const AUTH_REFUSED = /401|403|unauthori[sz]ed|authenticat|authoriz|denied|forbidden|credentials/i;

describe('Image', function () {
  const scope = useScope();

  async function expectNothingLeft(ref: string, after: string): Promise<void> {
    const { image } = await expectOk(cri().image.ImageStatus({ image: { image: ref } }), `ImageStatus(${ref})`);
    expect(image, `ImageStatus(${ref}).image after ${after}`).to.equal(null);
  }

  rpc('PullImage', function () {
    beforeEach(async function () {
      await removeOwnedImage(ctx().images.privateImage);
    });

    // api.proto PullImageRequest.auth: "Authentication configuration for pulling the image."
    // Without it, a registry that demands credentials refuses the pull.
    it('fails without credentials on a registry that requires them [serial]', async function () {
      const ref = ctx().images.privateImage;
      const err = await expectError(cri().image.PullImage({ image: { image: ref } }), `PullImage(${ref}) without auth`);
      scope.trackImage(ref);
      expect(err.details, `PullImage(${ref}) error details`).to.match(AUTH_REFUSED);
      await expectNothingLeft(ref, 'the unauthenticated pull');
    });

    // api.proto AuthConfig: "authorization information for connecting to a registry"
    // (username, password).
    itId(
      'pull-image.pulls-right-username-password',
      'pulls with the right username and password [serial]',
      async function () {
        const ref = ctx().images.privateImage;
        const { username, password } = ctx().images.privateAuth;
        const { image_ref } = await cri().image.PullImage({ image: { image: ref }, auth: { username, password } });
        scope.trackImage(ref);
        const image = await imageStatusOf(ref);
        expect(image?.id, `ImageStatus(${ref}).image.id after an authenticated pull`).to.equal(image_ref);
      },
      { feature: 'auth.password' },
    );

    // AuthConfig.auth carries the same credentials in the docker config form, base64("user:pass").
    itId(
      'pull-image.pulls-credentials-given-base64-auth-field',
      'pulls with credentials given as the base64 auth field [serial]',
      async function () {
        const ref = ctx().images.privateImage;
        const { username, password } = ctx().images.privateAuth;
        const auth = Buffer.from(`${username}:${password}`).toString('base64');
        const { image_ref } = await cri().image.PullImage({ image: { image: ref }, auth: { auth } });
        scope.trackImage(ref);
        const image = await imageStatusOf(ref);
        expect(image?.id, `ImageStatus(${ref}).image.id after a pull with AuthConfig.auth`).to.equal(image_ref);
      },
      { feature: 'auth.auth' },
    );

    itId(
      'pull-image.fails-wrong-password-leaves-no-image',
      'fails with a wrong password and leaves no image behind [serial]',
      async function () {
        const ref = ctx().images.privateImage;
        const { username, password } = ctx().images.privateAuth;
        const auth = { username, password: `${password}-wrong` };
        const err = await expectError(
          cri().image.PullImage({ image: { image: ref }, auth }),
          `PullImage(${ref}) with a wrong password`,
        );
        scope.trackImage(ref);
        expect(err.details, `PullImage(${ref}) error details`).to.match(AUTH_REFUSED);
        await expectNothingLeft(ref, 'the pull with a wrong password');
      },
      { feature: 'auth.password' },
    );
  });
});
