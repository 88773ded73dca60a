// ImageService RemoveImage (by tag, digest, id; idempotent; every tag of the image goes), and
// ListImages of one image under several tags. Pulls and removes only `removable[0]`, `multiTag` and
// `multiTagOtherRegistry`, which no other spec uses; the tests are [serial] because they delete images.
import { expect } from 'chai';
import {
  cri,
  type CriImage,
  ctx,
  digestRefOf,
  expectOk,
  findOne,
  imageStatusOf,
  itId,
  listedImages,
  normalizeRef,
  pullForTest,
  removeOwnedImage,
  rpc,
  runtimeApiLevel,
  useScope,
} from '../src/framework/index.js';

describe('Image', function () {
  const scope = useScope();

  async function expectGone(id: string, refs: string[], after: string): Promise<void> {
    const found: string[] = [];
    for (const ref of refs) {
      const { image } = await expectOk(cri().image.ImageStatus({ image: { image: ref } }), `ImageStatus(${ref})`);
      if (image) found.push(`${ref} → ${image.id}`);
    }
    expect(found, `ImageStatus answers with an image after ${after}`).to.deep.equal([]);
    const listed = (await listedImages()).filter((i) => i.id === id);
    expect(
      listed.map((i) => i.repo_tags),
      `ListImages entries with id ${id} after ${after}`,
    ).to.deep.equal([]);
  }

  /** A fresh pull of removable[0] and the three ways to name it. */
  async function pulledRemovable(): Promise<{ image: CriImage; tag: string; digest: string }> {
    const tag = ctx().images.removable[0];
    await removeOwnedImage(tag);
    const image = await pullForTest(scope, tag);
    const digest = digestRefOf(image, tag);
    if (!digest) throw new Error(`ImageStatus(${tag}) listed no repo_digests to remove the image by`);
    return { image, tag, digest };
  }

  rpc('RemoveImage', function () {
    const ways = [
      { by: 'tag', ref: (p: { tag: string }) => p.tag },
      { by: 'repository digest', ref: (p: { digest: string }) => p.digest },
      { by: 'image id', ref: (p: { image: CriImage }) => p.image.id },
    ];
    for (const way of ways) {
      // api.proto RemoveImage: "removes the image ... The next call to ListImages, ImageStatus,
      // ImageFsInfo will not return this image."
      it(`removes an image by its ${way.by} so ImageStatus and ListImages no longer return it [serial]`, async function () {
        const pulled = await pulledRemovable();
        const ref = way.ref(pulled);

        await expectOk(cri().image.RemoveImage({ image: { image: ref } }), `RemoveImage(${ref})`);

        await expectGone(pulled.image.id, [pulled.tag, pulled.digest, pulled.image.id], `RemoveImage by ${way.by}`);
      });
    }

    // api.proto RemoveImage: "This call is idempotent, and must not return an error if the image
    // has already been removed."
    it('accepts removing an image that was already removed [serial]', async function () {
      const { tag } = await pulledRemovable();
      await expectOk(cri().image.RemoveImage({ image: { image: tag } }), `first RemoveImage(${tag})`);

      await expectOk(cri().image.RemoveImage({ image: { image: tag } }), `second RemoveImage(${tag})`);
    });

    // The same rule under concurrency (critest's "should not fail on simultaneous RemoveImage
    // calls"): kubelet's image GC and a user may remove one image at once; each call either removes
    // it or finds it removed, and neither may fail.
    itId(
      'remove-image.accepts-simultaneous-removals',
      'accepts five simultaneous removals of one image by its id [serial]',
      async function () {
        const pulled = await pulledRemovable();
        const id = pulled.image.id;
        const answers = await Promise.allSettled(
          Array.from({ length: 5 }, () => cri().image.RemoveImage({ image: { image: id } })),
        );
        const failed = answers.flatMap((a, i) =>
          a.status === 'rejected' ? [`call ${i + 1}: ${String(a.reason)}`] : [],
        );
        expect(failed.length, `simultaneous RemoveImage(${id}) calls that failed: ${failed.join('; ')}`).to.equal(0);
        await expectGone(id, [pulled.tag, pulled.digest, id], 'five simultaneous RemoveImage calls');
      },
    );

    itId(
      'remove-image.accepts-removing-image-runtime-never',
      'accepts removing an image the runtime never held',
      async function () {
        const ref = `${ctx().images.removable[0].replace(/:[^:/]+$/, '')}:crit-never-${ctx().runId}`;
        await expectOk(cri().image.RemoveImage({ image: { image: ref } }), `RemoveImage(${ref})`);
      },
    );

    // api.proto RemoveImage (cri-api v0.36): "if the image is referenced by multiple tags (even
    // across different repositories if they resolve to the same image digest), removing the image
    // by a single tag will remove all of its tags." Older runtimes may untag only; the message
    // names the runtime's version so a report shows which contract it implements.
    it('removes every tag of an image when removing it by one tag [serial]', async function () {
      const tags = ctx().images.multiTag;
      const images: CriImage[] = [];
      for (const tag of tags) images.push(await pullForTest(scope, tag));
      const id = images[0].id;
      expect(
        images.map((i) => i.id),
        `ImageStatus ids of ${tags.join(', ')} (one image under three tags)`,
      ).to.deep.equal([id, id, id]);

      await expectOk(cri().image.RemoveImage({ image: { image: tags[0] } }), `RemoveImage(${tags[0]})`);

      const left: string[] = [];
      for (const tag of tags.slice(1)) if (await imageStatusOf(tag)) left.push(tag);
      expect(left, `tags still held after RemoveImage(${tags[0]}) on ${await runtimeApiLevel()}`).to.deep.equal([]);
      await expectGone(id, tags, `RemoveImage(${tags[0]})`);
    });

    // api.proto RemoveImage: "(even across different repositories if they resolve to the same
    // image digest) ... if `repo/image:v1` and `another_repo/image:latest` point to the same
    // image, removing `repo/image:v1` will also remove `another_repo/image:latest`."
    it('removes the image from every repository when removing it by one repository tag [serial]', async function () {
      const [tag, otherRepo] = [ctx().images.multiTag[0], ctx().images.multiTagOtherRegistry];
      const first = await pullForTest(scope, tag);
      const second = await pullForTest(scope, otherRepo);
      expect(second.id, `ImageStatus(${otherRepo}).image.id (the image of ${tag})`).to.equal(first.id);

      await expectOk(cri().image.RemoveImage({ image: { image: tag } }), `RemoveImage(${tag})`);

      const left = await imageStatusOf(otherRepo);
      expect(
        left?.repo_tags ?? [],
        `repo_tags still held for ${otherRepo} after RemoveImage(${tag}) on ${await runtimeApiLevel()}`,
      ).to.deep.equal([]);
      await expectGone(first.id, [tag, otherRepo], `RemoveImage(${tag})`);
    });
  });

  rpc('ListImages', function () {
    // api.proto Image.repo_tags: "Other names by which this image is known" — one image, however
    // many tags name it.
    it('lists one image under three tags as one entry with the three repo_tags [serial]', async function () {
      const tags = ctx().images.multiTag;
      const images: CriImage[] = [];
      for (const tag of tags) images.push(await pullForTest(scope, tag));

      const { images: listed } = await cri().image.ListImages({});

      const entry = findOne(listed, (i) => i.id === images[0].id, `ListImages entry with id ${images[0].id}`);
      expect(entry.repo_tags, `ListImages repo_tags of ${entry.id}`).to.include.members(tags.map(normalizeRef));
      const named = listed.filter((i) => i.repo_tags.some((t) => tags.map(normalizeRef).includes(t)));
      expect(
        named.map((i) => i.id),
        `ListImages entries carrying any of ${tags.join(', ')}`,
      ).to.deep.equal([entry.id]);
    });
  });
});
