// PullImage (cold: the image is removed, untimed, before each timed pull), ImageStatus, ListImages
// and RemoveImage. Each round pulls up to `concurrency` distinct images at once; an image
// present before the benchmark is present after it, an absent one is absent.
import { isCode } from '../client/errors.js';
import { pool, succeeded, timedSlice } from './runner.js';
import { SETUP, timed, type BenchEnv } from './env.js';
import { ensurePushed, generatedRef, registryOf } from './pull-images.js';
import { OPERATION_GROUPS } from './params.js';

export interface PullTargets {
  refs: string[];
  /** True for the benchmark's own images, pushed to `registry` when absent. */
  generated: boolean;
}

/** `--pull-image REF` (one image), or `concurrency` generated images on the registry of `catalogueRef`. */
export function pullTargets(env: BenchEnv, catalogueRef: string): PullTargets | string {
  const { pullImage, concurrency, iterations } = env.params;
  if (pullImage) return { refs: [pullImage], generated: false };
  const registry = registryOf(catalogueRef);
  if (!registry)
    return `the busybox image ${catalogueRef} names no registry to push the benchmark's pull images to; give --pull-image`;
  return {
    refs: Array.from({ length: Math.min(concurrency, iterations) }, (_, k) => generatedRef(registry, k)),
    generated: true,
  };
}

async function present(env: BenchEnv, ref: string): Promise<boolean> {
  const { image } = await env.client.image.ImageStatus({ image: { image: ref } }, SETUP);
  return Boolean(image?.id);
}

async function removeIfPresent(env: BenchEnv, ref: string): Promise<void> {
  if (!(await present(env, ref))) return;
  await env.client.image.RemoveImage({ image: { image: ref } }, SETUP).catch((err: unknown) => {
    if (!isCode(err, 'NOT_FOUND')) throw err;
  });
}

export async function imageGroup(env: BenchEnv, targets: PullTargets | string): Promise<void> {
  const { client, recorder, params } = env;
  const names = OPERATION_GROUPS.image;
  const width = typeof targets === 'string' ? 1 : targets.refs.length;
  const rec = (name: (typeof names)[number]) => recorder.record(name, 'image', width);
  if (typeof targets === 'string') {
    recorder.failGroup('image', names, width, targets);
    return;
  }
  const { refs } = targets;
  if (targets.generated) {
    const errors = await pool(refs, width, (ref) =>
      ensurePushed(ref, refs.indexOf(ref), params.pullLayerKib, params.opTimeoutMs),
    );
    if (errors.length > 0) {
      recorder.failGroup(
        'image',
        names,
        width,
        `could not push the benchmark's pull image to its registry: ${errors[0]}`,
      );
      return;
    }
  }
  const before = new Map<string, boolean>();
  try {
    for (const ref of refs) before.set(ref, await present(env, ref));
  } catch (err) {
    recorder.failGroup('image', names, width, `precondition ImageStatus failed: ${(err as Error).message}`);
    return;
  }
  try {
    for (let done = 0; done < params.iterations && !recorder.signal.aborted; done += width) {
      const batch = refs.slice(0, Math.min(width, params.iterations - done));
      const cleared = await pool(batch, width, (ref) => removeIfPresent(env, ref));
      if (cleared.length > 0) {
        recorder.failGroup(
          'image',
          ['PullImage'],
          width,
          `precondition RemoveImage (before a cold pull) failed: ${cleared[0]}`,
        );
        continue;
      }
      const pulled = succeeded(
        await timedSlice(recorder, rec('PullImage'), batch, width, async (ref, clock) => {
          const { image_ref } = await client.image.PullImage({ image: { image: ref } }, timed(clock));
          return { ref, id: image_ref };
        }),
      );
      await timedSlice(recorder, rec('ImageStatus'), pulled, width, async ({ ref }, clock) => {
        const { image } = await client.image.ImageStatus({ image: { image: ref } }, timed(clock));
        if (!image?.id) throw new Error(`ImageStatus of ${ref} right after PullImage returned no image`);
      });
      await timedSlice(recorder, rec('ListImages'), pulled, width, async ({ ref, id }, clock) => {
        const { images } = await client.image.ListImages({}, timed(clock));
        if (!images.some((i) => i.id === id || i.repo_tags.includes(ref)))
          throw new Error(`ListImages right after PullImage does not list ${ref} (${id})`);
      });
      await timedSlice(recorder, rec('RemoveImage'), pulled, width, async ({ ref }, clock) => {
        await client.image.RemoveImage({ image: { image: ref } }, timed(clock));
      });
    }
  } finally {
    // leave each image as it was found
    await pool(refs, width, async (ref) => {
      if (before.get(ref)) {
        if (!(await present(env, ref))) await client.image.PullImage({ image: { image: ref } }, SETUP);
      } else {
        await removeIfPresent(env, ref);
      }
    });
  }
}
