// ImageService PullImage: by tag, by digest, without a tag, and references that do not exist.
// Pulls and removes only `removable[1]` (owned by the image specs); `busybox:latest` is pulled
// but never removed by a test (other specs share busybox).
import { expect } from 'chai';
import {
  cri,
  ctx,
  digestRefOf,
  ensureImage,
  expectCode,
  expectOk,
  findOne,
  imageStatusOf,
  itId,
  listedImages,
  normalizeRef,
  pullForTest,
  rememberRunPull,
  removeOwnedImage,
  repositoryOf,
  rpc,
  setup,
  useScope,
  useWorkerPod,
  withImage,
} from '../src/framework/index.js';

describe('Image', function () {
  const scope = useScope();
  // Where the image_ref test creates its container.
  const pod = useWorkerPod();

  rpc('PullImage', function () {
    // api.proto Image.id: "This value MUST always match `PullImageResponse.image_ref` when referring
    // to the same image." PullImageResponse.image_ref: "the container runtime MUST always return the
    // same value for: Image.id ... PullImageResponse.image_ref" (stricter since v1.36).
    itId(
      'pull-image.pulls-image-tag-returns-image',
      'pulls an image by tag and returns the image_ref that ImageStatus and ListImages report as Image.id [serial]',
      async function () {
        const ref = ctx().images.removable[1];
        await removeOwnedImage(ref);

        const { image_ref } = await cri().image.PullImage({ image: { image: ref } });
        scope.trackImage(ref);

        expect(image_ref, 'PullImageResponse.image_ref').to.be.a('string').and.not.equal('');
        const { image } = await cri().image.ImageStatus({ image: { image: ref } });
        expect(image?.id, `ImageStatus(${ref}).image.id after PullImage`).to.equal(image_ref);
        const listed = findOne(
          await listedImages(),
          (i) => i.id === image_ref,
          `ListImages entry with id ${image_ref}`,
        );
        expect(listed.repo_tags, `ListImages repo_tags of ${image_ref}`).to.include(normalizeRef(ref));
      },
    );

    // api.proto PullImageResponse.image_ref: "When referring to the same image, the container
    // runtime MUST always return the same value for: Image.id, Container.image_id,
    // ContainerStatus.image_id, PullImageResponse.image_ref".
    it('returns the image_ref that Container.image_id and ContainerStatus.image_id of a container from the image repeat', async function () {
      const ref = ctx().images.busybox;
      await setup(`image ${ref}`, ensureImage(ref));

      const { image_ref } = await cri().image.PullImage({ image: { image: ref } });

      const container = await scope.createContainer(await pod.get(), 'image-ref', withImage(ref));
      const { containers } = await cri().runtime.ListContainers({ filter: { id: container.id } });
      const listed = findOne(containers, (c) => c.id === container.id, `ListContainers entry ${container.id}`);
      const { status } = await cri().runtime.ContainerStatus({ container_id: container.id });
      const got = { 'Container.image_id': listed.image_id, 'ContainerStatus.image_id': status?.image_id };
      const want = { 'Container.image_id': image_ref, 'ContainerStatus.image_id': image_ref };
      expect(
        got,
        `image ids of the container: ${JSON.stringify(got)}; PullImageResponse.image_ref ${image_ref}`,
      ).to.deep.equal(want);
    });

    // api.proto ImageSpec.image: "Container's Image field (e.g. imageID or imageDigest)"; the
    // image_ref contract above holds whichever way the image was named.
    it('pulls an image by repository digest to the same image id [serial]', async function () {
      const tag = ctx().images.removable[1];
      const pulled = await pullForTest(scope, tag);
      const digestRef = digestRefOf(pulled, tag);
      expect(digestRef, `ImageStatus(${tag}).repo_digests`)
        .to.be.a('string')
        .and.match(/@sha256:[0-9a-f]{64}$/);
      await removeOwnedImage(tag);

      const { image_ref } = await cri().image.PullImage({ image: { image: digestRef! } });
      scope.trackImage(digestRef!);

      expect(image_ref, `PullImageResponse.image_ref of ${digestRef}`).to.equal(pulled.id);
      const { image } = await cri().image.ImageStatus({ image: { image: digestRef! } });
      expect(image?.id, `ImageStatus(${digestRef}).image.id`).to.equal(image_ref);
      expect(image?.repo_digests, `ImageStatus(${digestRef}).image.repo_digests`).to.include(digestRef);
    });

    // Image references follow the distribution reference grammar: a reference without a tag
    // names the tag `latest` (kubelet relies on this for `image: repo`).
    it('pulls a reference without a tag as the latest tag', async function () {
      const latest = ctx().images.busyboxLatest;
      if (!latest.endsWith(':latest')) throw new Error(`test image busyboxLatest (${latest}) must end in :latest`);
      const untagged = repositoryOf(latest);
      const heldBefore = (await imageStatusOf(latest)) ?? (await imageStatusOf(ctx().images.busybox));

      const { image_ref } = await cri().image.PullImage({ image: { image: untagged } });
      if (!heldBefore) rememberRunPull(latest);

      const { image } = await cri().image.ImageStatus({ image: { image: latest } });
      expect(image?.id, `ImageStatus(${latest}).image.id after PullImage(${untagged})`).to.equal(image_ref);
      expect(image?.repo_tags, `ImageStatus(${latest}).image.repo_tags`).to.include(normalizeRef(latest));
    });

    const missing = [
      {
        what: 'repository',
        ref: () => `${repositoryOf(ctx().images.busybox).replace(/[^/]+$/, `crit-missing-${ctx().runId}`)}:1.0`,
      },
      { what: 'tag', ref: () => `${repositoryOf(ctx().images.busybox)}:crit-missing-${ctx().runId}` },
    ];
    for (const m of missing) {
      // api.proto PullImage: "pulls an image"; a reference the registry does not have cannot be
      // pulled, so the call fails (NOT_FOUND, or UNKNOWN as runtimes wrap registry errors) and
      // ListImages/ImageStatus show nothing new.
      itId(
        `pull-image.fails-missing-${m.what}`,
        `fails for a missing ${m.what}, naming the reference, and leaves no image behind`,
        async function () {
          const ref = m.ref();
          const err = await expectCode(
            cri().image.PullImage({ image: { image: ref } }),
            ['NOT_FOUND', 'UNKNOWN'],
            `PullImage(${ref})`,
          );
          scope.trackImage(ref);

          expect(err.details, `PullImage(${ref}) error details`).to.include(ref.slice(ref.indexOf('/') + 1));
          const { image } = await expectOk(cri().image.ImageStatus({ image: { image: ref } }), `ImageStatus(${ref})`);
          expect(image, `ImageStatus(${ref}).image after the failed pull`).to.equal(null);
          const tags = (await listedImages()).flatMap((i) => i.repo_tags);
          expect(tags, 'ListImages repo_tags after the failed pull').to.not.include(normalizeRef(ref));
        },
      );
    }
  });
});
