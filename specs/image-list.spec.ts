// ImageService ListImages, StreamImages and ImageFsInfo: what the runtime holds and the space it
// takes. Reads the shared busybox image; pulls and removes only the `distinct` images, which no
// other spec uses.
import { expect } from 'chai';
import {
  backgroundSettled,
  cri,
  type CriImage,
  ctx,
  eventually,
  findOne,
  itId,
  normalizeRef,
  pullForTest,
  removeOwnedImage,
  requireRpc,
  rpc,
  sharedImage,
  useScope,
} from '../src/framework/index.js';

describe('Image', function () {
  const scope = useScope();

  rpc('ListImages', function () {
    // api.proto Image: id "Reference to the unique identifier of the image", repo_tags "Other
    // names by which this image is known", repo_digests "Digests by which this image is known",
    // size "Must be > 0".
    itId(
      'list-images.lists-pulled-image-id-repo',
      'lists a pulled image with its id, repo_tags, repo_digests and size',
      async function () {
        const { ref, image } = await sharedImage(ctx().images.busybox);

        const { images } = await cri().image.ListImages({});

        const entry = findOne(images, (i) => i.id === image.id, `ListImages entry with id ${image.id} (${ref})`);
        expect(entry.repo_tags, `ListImages repo_tags of ${ref}`).to.include(normalizeRef(ref));
        expect(entry.repo_digests, `ListImages repo_digests of ${ref}`).to.have.length.greaterThan(0);
        expect(
          entry.repo_digests.filter((d) => !/@sha256:[0-9a-f]{64}$/.test(d)),
          `ListImages repo_digests of ${ref} not of the form repo@sha256:<hex>`,
        ).to.deep.equal([]);
        expect(Number(entry.size), `ListImages size of ${ref}`).to.be.greaterThan(0);
      },
    );

    it('lists three different images as three entries [serial]', async function () {
      const refs = ctx().images.distinct;
      const pulled: CriImage[] = [];
      for (const ref of refs) pulled.push(await pullForTest(scope, ref));
      expect(new Set(pulled.map((i) => i.id)).size, `distinct ids among ImageStatus of ${refs.join(', ')}`).to.equal(3);

      const { images } = await cri().image.ListImages({});

      const seen = refs.map((ref, n) => {
        const entries = images.filter((i) => i.id === pulled[n].id);
        return { ref, entries: entries.length, tagged: entries.some((i) => i.repo_tags.includes(normalizeRef(ref))) };
      });
      const want = refs.map((ref) => ({ ref, entries: 1, tagged: true }));
      expect(seen, `ListImages entries (by id) and their repo_tags: ${JSON.stringify(seen)}`).to.deep.equal(want);
    });

    // api.proto ListImagesRequest.filter: "Filter to list images"; ImageFilter.image: "Spec of the
    // image." The proto does not define how a runtime matches (containerd ignores the filter:
    // "Add image list filters after CRI defines this more clear"), but whatever it filters, the
    // image the filter names is in the answer.
    itId('list-images.lists-image-filter-names', 'lists the image that the filter names', async function () {
      const { ref, image } = await sharedImage(ctx().images.busybox);

      const { images } = await cri().image.ListImages({ filter: { image: { image: ref } } });

      const ids = images.map((i) => i.id);
      expect(ids, `ListImages ids with filter.image.image=${ref}: ${JSON.stringify(ids)}`).to.include(image.id);
    });

    // api.proto ListImagesRequest.filter: "Filter to list images" — a filter that names one image
    // lists that image only (found by the self-test's list-images-filter-ignored mutant).
    itId(
      'list-images.lists-no-image-other-than',
      'lists no image other than the one the filter names',
      async function () {
        const { ref, image } = await sharedImage(ctx().images.busybox);

        const { images } = await cri().image.ListImages({ filter: { image: { image: ref } } });

        const others = images.filter((i) => i.id !== image.id).map((i) => i.repo_tags[0] ?? i.id);
        expect(others, `ListImages with filter.image.image=${ref}: images other than ${image.id}`).to.deep.equal([]);
      },
    );
  });

  rpc('StreamImages', function () {
    // api.proto StreamImages: "an alternative to ListImages that streams results ... Each item must
    // appear in exactly one response and must not be duplicated across responses in the same
    // stream. The server must close the stream with EOF after all items have been sent."
    // Feature gate CRIListStreaming: optional.
    it('streams every image that ListImages lists, each once [optional]', async function () {
      await requireRpc(this, 'StreamImages');
      await sharedImage(ctx().images.busybox);
      const listIds = async (): Promise<string> =>
        (await cri().image.ListImages({}, { role: 'setup' })).images
          .map((i) => i.id)
          .sort()
          .join(' ');
      // Other specs may pull or remove images meanwhile: take a stream bracketed by equal lists.
      const { listed, responses } = await eventually(
        'ListImages to answer the same before and after StreamImages',
        async () => ({
          listed: await listIds(),
          responses: await cri().image.StreamImages({}).collect(),
          after: await listIds(),
        }),
        (r) => r.listed === r.after,
        { timeout: 30_000 },
      );

      const streamed = responses
        .flatMap((r) => r.images.map((i) => i.id))
        .sort()
        .join(' ');
      expect(
        responses.filter((r) => r.images.length === 0).length,
        'StreamImagesResponse messages with no images ("lists of at least one item")',
      ).to.equal(0);
      expect(streamed, 'image ids streamed by StreamImages vs listed by ListImages').to.equal(listed);
    });
  });

  rpc('ImageFsInfo', function () {
    // api.proto FilesystemUsage: timestamp "Timestamp in nanoseconds at which the information were
    // collected. Must be > 0", fs_id "The unique identifier of the filesystem" (its mountpoint),
    // used_bytes "the bytes used for images", inodes_used "the inodes used by the images".
    itId(
      'image-fs-info.reports-image-filesystem-mountpoint-used',
      'reports an image filesystem with a mountpoint, used bytes and inodes, and a recent timestamp',
      async function () {
        const { image_filesystems: fss } = await cri().image.ImageFsInfo({});

        expect(fss.length, 'ImageFsInfoResponse.image_filesystems count').to.be.greaterThan(0);
        const fs = fss[0];
        expect(fs.fs_id?.mountpoint ?? '', 'image_filesystems[0].fs_id.mountpoint').to.match(/^\//);
        expect(fs.used_bytes, 'image_filesystems[0].used_bytes').to.not.equal(null);
        expect(Number(fs.used_bytes!.value), 'image_filesystems[0].used_bytes.value').to.be.greaterThan(0);
        expect(fs.inodes_used, 'image_filesystems[0].inodes_used').to.not.equal(null);
        expect(Number(fs.inodes_used!.value), 'image_filesystems[0].inodes_used.value').to.be.greaterThan(0);
        const ageMs = Number(BigInt(Date.now()) * 1_000_000n - BigInt(fs.timestamp)) / 1e6;
        expect(ageMs, `age in ms of image_filesystems[0].timestamp ${fs.timestamp}`).to.be.within(-5_000, 60_000);
      },
    );

    // used_bytes counts "the bytes used for images": newly pulled images add their layers (here
    // the three `distinct` images, one small unique layer each). Runtimes refresh usage
    // periodically (each collection carries its timestamp) and clean up asynchronously ("Usage
    // information may include images that were removed, but are still being cleaned up"). Other
    // activity on the node changes used_bytes too, so the test runs alone ([serial], and after the
    // harness's own background cleanup, the removal of the earlier phase's pods): then only
    // the pull can raise the figure, and a collection made after it that reports more than one
    // made before it (and after the test began) proves that the runtime counted the new images.
    // A cleanup still under way can lower the figure by more than the pull adds: then the images
    // are removed and the test measures again from a settled figure (two successive collections
    // that agree). ImageFsInfo is cheap, so it is polled every few tens of ms to see a collection
    // soon after the runtime makes it.
    itId(
      'image-fs-info.reports-more-used-bytes-after',
      'reports more used bytes after new images are pulled [serial]',
      async function () {
        this.timeout(240_000);
        const refs = ctx().images.distinct;
        const poll = { timeout: 80_000, maxInterval: 50 };
        const usage = async (): Promise<{ used: number; collectedMs: number }> => {
          const { image_filesystems: fss } = await cri().image.ImageFsInfo({});
          return {
            used: fss.reduce((sum, f) => sum + Number(f.used_bytes?.value ?? '0'), 0),
            collectedMs: Math.min(...fss.map((f) => Number(BigInt(f.timestamp) / 1_000_000n))),
          };
        };
        const collectedSince = (sinceMs: number, what: string): Promise<{ used: number; collectedMs: number }> =>
          eventually(`an ImageFsInfo collection made ${what}`, usage, (u) => u.collectedMs >= sinceMs, poll);
        /** used_bytes once two successive collections made after `sinceMs` agree. */
        const settledUsage = async (sinceMs: number, what: string): Promise<number> => {
          let previous = { used: -1, collectedMs: 0 };
          const agrees = (u: { used: number; collectedMs: number }): boolean => {
            const ok = u.collectedMs >= sinceMs && u.collectedMs > previous.collectedMs && u.used === previous.used;
            if (u.collectedMs > previous.collectedMs) previous = u;
            return ok;
          };
          return (
            await eventually(
              `two successive ImageFsInfo collections ${what} with the same used_bytes`,
              usage,
              agrees,
              poll,
            )
          ).used;
        };
        const pullAll = async (): Promise<number> => {
          for (const ref of refs) await pullForTest(scope, ref);
          return Date.now();
        };

        await backgroundSettled();
        for (const ref of refs) await removeOwnedImage(ref);
        const before = await collectedSince(Date.now(), 'before the pull');
        const after = await collectedSince(await pullAll(), `after pulling ${refs.join(', ')}`);
        if (after.used > before.used) return;

        // The figure did not rise: a cleanup may have lowered it meanwhile. Again, from a settled figure.
        for (const ref of refs) await removeOwnedImage(ref);
        const settled = await settledUsage(Date.now(), 'before the second pull');
        const pulledMs = await pullAll();
        // Fails on timeout, naming the last collection seen: used_bytes never rose above `settled`.
        await eventually(
          `an ImageFsInfo collection made after pulling ${refs.join(', ')} with used_bytes above ${settled} (the settled figure before the pull; the first pull went from ${before.used} to ${after.used})`,
          usage,
          (u) => u.collectedMs >= pulledMs && u.used > settled,
          poll,
        );
      },
    );
  });
});
