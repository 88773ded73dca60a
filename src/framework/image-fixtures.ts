// Image fixtures for the image specs: what the runtime holds now, and pulls that remove afterwards
// only what they added. An image the runtime (or the user) held before the test is never removed.
import type { AuthConfig } from '../generated/runtime/v1/AuthConfig.js';
import type { Image__Output } from '../generated/runtime/v1/Image.js';
import { ctx } from './context.js';
import { cri } from './cri.js';
import { ensureImage } from './image-cache.js';
import { appendRunEvent } from './run-events.js';
import { setup, type Scope } from './scope.js';

export type CriImage = Image__Output;

/** ImageStatus as a fixture call: the image, or null when the runtime does not hold it. */
export async function imageStatusOf(ref: string): Promise<CriImage | null> {
  const { image } = await setup(`ImageStatus ${ref}`, cri().image.ImageStatus({ image: { image: ref } }, { role: 'setup' }));
  return image && image.id ? image : null;
}

/** ListImages as a fixture call. */
export async function listedImages(): Promise<CriImage[]> {
  const { images } = await setup('ListImages', cri().image.ListImages({}, { role: 'setup' }));
  return images;
}

/** A shared, read-only image (pulled once per run, never removed by a test) and its status. */
export async function sharedImage(ref: string): Promise<{ ref: string; image: CriImage }> {
  await setup(`image ${ref}`, ensureImage(ref));
  const image = await imageStatusOf(ref);
  if (!image) throw new Error(`ImageStatus(${ref}) returned no image right after it was pulled`);
  return { ref, image };
}

/**
 * Pulls `ref` as part of a test's arrangement and returns the pulled image. It is removed after
 * the test only when the runtime did not hold it before.
 */
export async function pullForTest(scope: Scope, ref: string, auth?: AuthConfig): Promise<CriImage> {
  const before = await imageStatusOf(ref);
  await setup(`PullImage ${ref}`, cri().image.PullImage({ image: { image: ref }, auth }, { role: 'setup' }));
  if (!before) scope.trackImage(ref);
  const image = await imageStatusOf(ref);
  if (!image) throw new Error(`ImageStatus of ${ref} returned no image right after PullImage succeeded`);
  return image;
}

/**
 * For an image that tests share (busybox): registers `ref` for removal at the end of the run when
 * the runtime did not hold it before; never removes it after one test.
 */
export function rememberRunPull(ref: string): void {
  appendRunEvent(ctx().runDir, { kind: 'pulled-image', ref });
}

/**
 * Removes `ref` if present, as arrangement. Only for the catalogue images the image specs own
 * (`removable`, `multiTag`, `distinct`), never for images other specs use.
 */
export async function removeOwnedImage(ref: string): Promise<void> {
  if (await imageStatusOf(ref)) {
    await setup(`RemoveImage ${ref}`, cri().image.RemoveImage({ image: { image: ref } }, { role: 'setup' }));
  }
}

/** `host/repo:tag` → `host/repo`; `host/repo@sha256:…` → `host/repo`. */
export function repositoryOf(ref: string): string {
  const at = ref.indexOf('@');
  if (at >= 0) return ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

/** The repo_digests entry of `image` for the repository of `ref` (`repo@sha256:…`). */
export function digestRefOf(image: CriImage, ref: string): string | undefined {
  const repo = repositoryOf(ref);
  return image.repo_digests.find((d) => repositoryOf(d) === repo) ?? image.repo_digests[0];
}

/**
 * The fully qualified form runtimes list in repo_tags: `busybox` → `docker.io/library/busybox:latest`,
 * `host:5000/x` → `host:5000/x:latest`; a digest reference keeps its digest.
 */
export function normalizeRef(ref: string): string {
  const first = ref.split('/')[0];
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let full = hasHost ? ref : `docker.io/${ref.includes('/') ? '' : 'library/'}${ref}`;
  if (!full.includes('@') && repositoryOf(full) === full) full += ':latest';
  return full;
}
