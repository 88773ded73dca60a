// Image volumes (api.proto Mount.image, KEP 4639): a container mounts an image of the catalogue
// read-only at a path, named as kubelet names it (PullImageResponse.image_ref) or by digest, whole
// or one sub path of it. The `web` image is the volume: busybox plus /www/index.html, whose exact
// content the catalogue knows (`webIndex`), so a runtime that ignores Mount.image and mounts
// nothing (or an empty directory) fails the read.
//
// What api.proto leaves open is not tested: whether the runtime pulls an image that is missing
// ("The kubelet does an PullImage RPC and evaluates the returned PullImageResponse.image_ref value,
// which is then set to the ImageSpec.image field": kubelet pulls first, so the tests do too), and
// whether RemoveImage of an image that an image volume uses is refused (RemoveImage says nothing
// of images in use). StatusResponse reports no image-volume feature, so a runtime without it fails
// these tests (see known-failures/containerd-1.6.yaml and -1.7.yaml).
import { expect } from 'chai';
import {
  type Container,
  containerConfig,
  type ContainerOpt,
  createRequest,
  cri,
  ctx,
  digestRefOf,
  expectRefusal,
  itId,
  type Pod,
  rpc,
  type Scope,
  setup,
  type Shared,
  sharedImage,
  shellParts,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withImageVolume,
} from '../src/framework/index.js';

const MOUNT = '/mnt/image';
/** Where the `web` image keeps the file the tests read, relative to its root. */
const WEB_DIR = 'www';
const WEB_FILE = 'index.html';

/** PullImage of `ref` as arrangement, as kubelet does before it mounts an image volume: its image_ref. */
async function pulledImageRef(ref: string): Promise<string> {
  await sharedImage(ref);
  const { image_ref: imageRef } = await setup(
    `PullImage ${ref}`,
    cri().image.PullImage({ image: { image: ref } }, { role: 'setup' }),
  );
  return imageRef;
}

/** A running busybox container in `pod` with `volume` (an image volume), CreateContainer under test. */
async function containerWithVolume(
  scope: Scope,
  pod: Shared<Pod>,
  slug: string,
  volume: ContainerOpt,
): Promise<Container> {
  const c = await scope.runContainer(await pod.get(), slug, volume);
  await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
  return c;
}

/** Reads `file` in the container's image volume, lists the volume and tries a write there, in one ExecSync. */
async function readAndWrite(c: Container, file: string): Promise<{ read: string; listing: string; writeExit: number }> {
  const {
    parts: { read, list, write },
  } = await shellParts(c.id, {
    read: `cat ${MOUNT}/${file}`,
    list: `ls -A ${MOUNT} | tr '\\n' ' '`,
    write: `touch ${MOUNT}/crit-write`,
  });
  return { read: read.stdout, listing: list.stdout.trim(), writeExit: write.exitCode };
}

describe('Image volumes', function () {
  const scope = useScope();

  rpc('CreateContainer', { feature: 'config.mounts.image' }, function () {
    const pod = useWorkerPod();

    // api.proto Mount.image: "Mount an image reference (image ID, with or without digest) ... The
    // kubelet does an PullImage RPC and evaluates the returned PullImageResponse.image_ref value,
    // which is then set to the ImageSpec.image field. Runtimes are expected to mount the image as
    // required." and "All image mounts are per feature definition readonly."
    itId(
      'image-volume.mounts-image-ref-read-only',
      'mounts the image that PullImageResponse.image_ref names, read-only',
      async function () {
        const imageRef = await pulledImageRef(ctx().images.web);
        const c = await containerWithVolume(scope, pod, 'imgvol-ref', withImageVolume(MOUNT, imageRef));
        const seen = await readAndWrite(c, `${WEB_DIR}/${WEB_FILE}`);
        expect(
          seen.read,
          `${MOUNT}/${WEB_DIR}/${WEB_FILE} read through the image volume of ${imageRef} (it holds: ${seen.listing})`,
        ).to.equal(ctx().images.webIndex);
        expect(seen.writeExit, 'exit code of a write to the image volume (image mounts are read-only)').to.not.equal(0);
      },
    );

    // api.proto Mount.image: "Mount an image reference (image ID, with or without digest)".
    itId('image-volume.mounts-image-by-digest', 'mounts an image named by its digest reference', async function () {
      const { ref, image } = await sharedImage(ctx().images.web);
      const byDigest = digestRefOf(image, ref);
      expect(byDigest, `ImageStatus.repo_digests of ${ref}`).to.be.a('string');
      const c = await containerWithVolume(scope, pod, 'imgvol-digest', withImageVolume(MOUNT, byDigest!));
      const seen = await readAndWrite(c, `${WEB_DIR}/${WEB_FILE}`);
      expect(
        seen.read,
        `${MOUNT}/${WEB_DIR}/${WEB_FILE} read through the image volume of ${byDigest} (it holds: ${seen.listing})`,
      ).to.equal(ctx().images.webIndex);
    });
  });

  rpc('CreateContainer', { feature: 'config.mounts.image_sub_path' }, function () {
    const pod = useWorkerPod();

    // api.proto Mount.image_sub_path: "Specific image sub path to be used from inside the image
    // instead of its root, only necessary if the above image field is set."
    itId('image-volume.mounts-image-sub-path', 'mounts only image_sub_path of the image', async function () {
      const imageRef = await pulledImageRef(ctx().images.web);
      const c = await containerWithVolume(scope, pod, 'imgvol-sub', withImageVolume(MOUNT, imageRef, WEB_DIR));
      const seen = await readAndWrite(c, WEB_FILE);
      expect(
        seen.read,
        `${MOUNT}/${WEB_FILE} read through the image volume of ${imageRef}:${WEB_DIR} (it holds: ${seen.listing})`,
      ).to.equal(ctx().images.webIndex);
      expect(seen.writeExit, 'exit code of a write to the image volume (image mounts are read-only)').to.not.equal(0);
    });

    // api.proto Mount.image_sub_path: "If the sub path is not empty and does not exist in the
    // image, then runtimes should fail and return an error." A runtime that refuses every image
    // volume must not pass: the test first has it mount a sub path that exists.
    itId(
      'image-volume.refuses-missing-sub-path',
      'refuses an image_sub_path that the image does not have',
      async function () {
        const imageRef = await pulledImageRef(ctx().images.web);
        const made = await pod.get();
        const existing = await containerWithVolume(
          scope,
          pod,
          'imgvol-sub-ok',
          withImageVolume(MOUNT, imageRef, WEB_DIR),
        );
        const seen = await readAndWrite(existing, WEB_FILE);
        expect(
          seen.read,
          `${MOUNT}/${WEB_FILE} read through the image volume of ${imageRef}:${WEB_DIR} (it holds: ${seen.listing})`,
        ).to.equal(ctx().images.webIndex);

        const missing = 'crit-no-such-dir';
        const config = containerConfig('imgvol-sub-missing', withImageVolume(MOUNT, imageRef, missing));
        const attempt = cri()
          .runtime.CreateContainer(await createRequest(made, config))
          .then(async ({ container_id: id }) => {
            scope.trackContainer(id);
            await cri().runtime.StartContainer({ container_id: id });
          });
        await expectRefusal(attempt, `CreateContainer (or StartContainer) with image_sub_path "${missing}"`);
      },
    );
  });
});
