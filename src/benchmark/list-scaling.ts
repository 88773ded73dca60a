// How ListPodSandbox and ListContainers grow with the number of objects: for each size N (in
// ascending order) the run's objects are topped up to N (untimed), then `iterations` unfiltered
// list calls are timed, as kubelet's relist makes them. Host-network pods avoid CNI cost; the
// containers are created, not started, in pods of at most CONTAINERS_PER_POD.
import { RUN_LABEL } from '../framework/run/context.js';
import { newRecord, pool, timedSlice, type OperationRecord } from './runner.js';
import { benchContainer, range, removePod, runSetupPod, SETUP, timed, type BenchEnv } from './env.js';
import type { PodSandboxConfig } from '../generated/runtime/v1/PodSandboxConfig.js';

export const CONTAINERS_PER_POD = 50;

export interface ListPoint {
  rpc: 'ListPodSandbox' | 'ListContainers';
  /** Objects of this run present during the timed calls. */
  objects: number;
  /** Items the runtime returned (the run's and any others'), largest seen. */
  listed: number;
  record: OperationRecord;
}

type ListRpc = ListPoint['rpc'];

/** Times the list calls at one size; each sample checks that all of the run's objects are listed. */
async function timeList(env: BenchEnv, rpc: ListRpc, objects: number, points: ListPoint[]): Promise<void> {
  const c = env.params.concurrency;
  const point: ListPoint = { rpc, objects, listed: 0, record: newRecord(rpc, 'list-scaling', c) };
  points.push(point);
  await timedSlice(env.recorder, point.record, range(env.params.iterations), c, async (_, clock) => {
    const items =
      rpc === 'ListPodSandbox'
        ? (await env.client.runtime.ListPodSandbox({}, timed(clock))).items
        : (await env.client.runtime.ListContainers({}, timed(clock))).containers;
    const ours = items.filter((o) => o.labels[RUN_LABEL] === env.runId).length;
    point.listed = Math.max(point.listed, items.length);
    if (ours < objects) throw new Error(`${rpc} returned ${ours} of the ${objects} objects of this run`);
  });
}

/** A size whose objects could not all be created: one failed point, and the scaling stops there. */
function shortfall(
  env: BenchEnv,
  points: ListPoint[],
  rpc: ListRpc,
  want: number,
  have: number,
  errors: string[],
): void {
  if (env.recorder.signal.aborted) return;
  const record = newRecord(rpc, 'list-scaling', env.params.concurrency);
  record.failures = 1;
  record.failureMessages.push(
    `only ${have} of ${want} objects could be created for ${rpc}: ${errors[0] ?? 'no error reported'}`,
  );
  points.push({ rpc, objects: want, listed: 0, record });
}

export async function listPodsScaling(env: BenchEnv, points: ListPoint[]): Promise<void> {
  const pods: string[] = [];
  try {
    for (const size of env.params.listSizes) {
      if (env.recorder.signal.aborted) return;
      env.say(`  ListPodSandbox: ${size} pods`);
      const errors = await pool(range(size - pods.length), env.params.concurrency, async () => {
        if (env.recorder.signal.aborted) return;
        pods.push((await runSetupPod(env, 'bench-list', true)).id);
      });
      if (pods.length < size) {
        shortfall(env, points, 'ListPodSandbox', size, pods.length, errors);
        return;
      }
      await timeList(env, 'ListPodSandbox', size, points);
    }
  } finally {
    await pool(pods, env.params.concurrency, (id) => removePod(env, id));
  }
}

export async function listContainersScaling(env: BenchEnv, points: ListPoint[]): Promise<void> {
  const holders: { id: string; config: PodSandboxConfig; containers: number }[] = [];
  let containers = 0;
  try {
    for (const size of env.params.listSizes) {
      if (env.recorder.signal.aborted) return;
      env.say(`  ListContainers: ${size} containers`);
      // holder pods first, then containers spread over them
      const podsNeeded = Math.ceil(size / CONTAINERS_PER_POD) - holders.length;
      const errors = await pool(range(Math.max(0, podsNeeded)), env.params.concurrency, async () => {
        if (env.recorder.signal.aborted) return;
        holders.push({ ...(await runSetupPod(env, 'bench-list-holder', true)), containers: 0 });
      });
      const slots: (typeof holders)[number][] = [];
      for (const h of holders)
        for (let k = h.containers; k < CONTAINERS_PER_POD && slots.length < size - containers; k += 1) slots.push(h);
      if (slots.length === size - containers) {
        errors.push(
          ...(await pool(slots, env.params.concurrency, async (holder) => {
            if (env.recorder.signal.aborted) return;
            holder.containers += 1;
            await env.client.runtime
              .CreateContainer(
                { pod_sandbox_id: holder.id, config: benchContainer('bench-list'), sandbox_config: holder.config },
                SETUP,
              )
              .catch((err: Error) => {
                holder.containers -= 1;
                throw err;
              });
            containers += 1;
          })),
        );
      }
      if (containers < size) {
        shortfall(env, points, 'ListContainers', size, containers, errors);
        return;
      }
      await timeList(env, 'ListContainers', size, points);
    }
  } finally {
    // removing a pod removes its containers
    await pool(holders, env.params.concurrency, (h) => removePod(env, h.id));
  }
}
