// Removes everything that carries this run's label, and the images this run pulled. Runs at the
// start and end of every run and on Ctrl-C. Returns what it could not remove instead of throwing.
import type { CallOpts, RuntimeApi } from '../../client/call.js';
import type { CriClient } from '../../client/cri-client.js';
import { isCode, isRuntimeAnswer } from '../../client/errors.js';
import { RUN_LABEL } from './context.js';

export interface SweepResult {
  pods: number;
  containers: number;
  images: number;
  /**
   * Images this run pulled and left, because other runs of the suite were live (their pods or
   * containers are in the runtime) and may be using them; `cri-conformance cleanup` removes them.
   */
  keptImages: string[];
  /** The other live runs' ids, when images were kept for them. */
  liveRuns: string[];
  /** One line per object that could not be removed. */
  leaks: string[];
}

export async function sweepRun(
  client: CriClient,
  runId: string,
  pulledImages: string[] = [],
  timeoutMs = 30_000,
): Promise<SweepResult> {
  const result: SweepResult = { pods: 0, containers: 0, images: 0, keptImages: [], liveRuns: [], leaks: [] };
  const opts = { role: 'setup' as const, timeoutMs };
  const selector = { [RUN_LABEL]: runId };
  // A runtime that restarts is UNAVAILABLE for a while: keep trying until the sweep's deadline.
  const until = Date.now() + timeoutMs;
  const attempt = async (what: string, call: () => Promise<unknown>): Promise<boolean> => {
    for (let n = 0; ; n += 1) {
      try {
        await call();
        return true;
      } catch (err) {
        if (isCode(err, 'NOT_FOUND')) return true;
        if (isCode(err, 'UNAVAILABLE') && Date.now() < until) {
          await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** n, 2_000, Math.max(until - Date.now(), 1))));
          continue;
        }
        result.leaks.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
        return false;
      }
    }
  };
  let containers: { id: string }[] = [];
  await attempt('ListContainers', async () => {
    containers = (await client.runtime.ListContainers({ filter: { label_selector: selector } }, opts)).containers;
  });
  for (const c of containers) {
    if (await attempt(`container ${c.id}`, () => client.runtime.RemoveContainer({ container_id: c.id }, opts)))
      result.containers += 1;
  }
  let pods: { id: string }[] = [];
  await attempt('ListPodSandbox', async () => {
    pods = (await client.runtime.ListPodSandbox({ filter: { label_selector: selector } }, opts)).items;
  });
  for (const p of pods) {
    const ok =
      (await attempt(`pod ${p.id} (stop)`, () => client.runtime.StopPodSandbox({ pod_sandbox_id: p.id }, opts))) &&
      (await attempt(`pod ${p.id}`, () => client.runtime.RemovePodSandbox({ pod_sandbox_id: p.id }, opts)));
    if (ok) result.pods += 1;
  }
  if (pulledImages.length === 0) return result;
  // CRI images carry no labels: another run of the suite that is live may be using (or about to
  // use) an image this run pulled, so it is kept while any other run's objects are in the runtime.
  const others = new Set<string>();
  await attempt('ListPodSandbox (other runs)', async () => {
    const { items } = await client.runtime.ListPodSandbox({}, opts);
    const { containers: all } = await client.runtime.ListContainers({}, opts);
    for (const o of [...items, ...all]) {
      const run = o.labels[RUN_LABEL];
      if (run !== undefined && run !== runId) others.add(run);
    }
  });
  if (others.size > 0) {
    result.keptImages = [...new Set(pulledImages)];
    result.liveRuns = [...others].sort();
    return result;
  }
  for (const ref of new Set(pulledImages)) {
    if (await attempt(`image ${ref}`, () => client.image.RemoveImage({ image: { image: ref } }, opts)))
      result.images += 1;
  }
  return result;
}

/**
 * Removes a pod with RemovePodSandbox alone, which must also stop a ready sandbox and its
 * containers (api.proto; the suite tests it): a separate StopPodSandbox first would cost the
 * runtime a second network teardown per pod. A runtime that refuses (answers with an error) gets
 * the kubelet's order, StopPodSandbox then RemovePodSandbox. A pod already gone counts as removed.
 */
export async function removePod(runtime: RuntimeApi, id: string, opts: CallOpts): Promise<void> {
  const remove = (): Promise<void> => tolerateNotFound(runtime.RemovePodSandbox({ pod_sandbox_id: id }, opts));
  try {
    await remove();
  } catch (err) {
    if (!isRuntimeAnswer(err)) throw err;
    await tolerateNotFound(runtime.StopPodSandbox({ pod_sandbox_id: id }, opts));
    await remove();
  }
}

/**
 * Removes this run's pods that carry `labels` (the worker pods after a mocha phase), all at once:
 * their files removed their containers. Returns one line per pod it could not remove.
 */
export async function removeLabelledPods(
  client: CriClient,
  runId: string,
  labels: Record<string, string>,
  timeoutMs = 30_000,
): Promise<string[]> {
  const opts = { role: 'setup' as const, timeoutMs };
  try {
    const { items } = await client.runtime.ListPodSandbox(
      { filter: { label_selector: { ...labels, [RUN_LABEL]: runId } } },
      opts,
    );
    const results = await Promise.allSettled(items.map((p) => removePod(client.runtime, p.id, opts)));
    return results.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`pod ${items[i].id}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`]
        : [],
    );
  } catch (err) {
    return [`ListPodSandbox: ${err instanceof Error ? err.message : String(err)}`];
  }
}

export async function tolerateNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isCode(err, 'NOT_FOUND')) throw err;
  }
}
