// Images that tests use but do not test are pulled once per run and shared read-only. The ones
// this run pulled (absent before) are recorded so the end-of-run sweep removes them.
import { ctx } from './context.js';
import { cri } from './cri.js';
import { appendRunEvent } from './run-events.js';

const ready = new Map<string, Promise<void>>();

export function ensureImage(ref: string): Promise<void> {
  let p = ready.get(ref);
  if (!p) {
    p = (async () => {
      const { image } = await cri().image.ImageStatus({ image: { image: ref } }, { role: 'setup' });
      if (image && image.id) return;
      await cri().image.PullImage({ image: { image: ref } }, { role: 'setup' });
      appendRunEvent(ctx().runDir, { kind: 'pulled-image', ref });
    })();
    p.catch(() => ready.delete(ref));
    ready.set(ref, p);
  }
  return p;
}
