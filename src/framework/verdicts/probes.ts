// Cheap probes of the optional RPCs, so a spec says `await requireRpc(this, 'StreamImages')` and
// is reported unsupported (or failed, under `--require`) when the runtime answers UNIMPLEMENTED.
// A streaming RPC's UNIMPLEMENTED arrives as the stream's error, so stream probes read the stream.
import { AssertionError } from 'chai';
import type { CallStream } from '../../client/call.js';
import { CriCallError } from '../../client/errors.js';
import { RUN_LABEL } from '../run/context.js';
import { cri } from '../run/cri.js';
import { expectError } from './expect-rpc.js';
import { unknownId } from '../run/names.js';
import { requireFeature } from './optional.js';

const PROBE = { role: 'setup' as const, timeoutMs: 15_000 };
/** A label selector no object carries: list probes stay small. */
const NOTHING = { label_selector: { [RUN_LABEL]: 'crit-probe-matches-nothing' } };

const PROBES = {
  StreamPodSandboxes: () => cri().runtime.StreamPodSandboxes({ filter: NOTHING }, PROBE).collect(),
  StreamContainers: () => cri().runtime.StreamContainers({ filter: NOTHING }, PROBE).collect(),
  StreamContainerStats: () => cri().runtime.StreamContainerStats({ filter: NOTHING }, PROBE).collect(),
  StreamPodSandboxStats: () => cri().runtime.StreamPodSandboxStats({ filter: NOTHING }, PROBE).collect(),
  StreamImages: () =>
    cri()
      .image.StreamImages({ filter: { image: { image: 'crit-probe/none:0' } } }, PROBE)
      .collect(),
  StreamPodSandboxMetrics: () => cri().runtime.StreamPodSandboxMetrics({}, PROBE).collect(),
  // An event stream stays open: the first event, or the probe's deadline, shows it is there.
  GetContainerEvents: () => firstItem(cri().runtime.GetContainerEvents({}, { role: 'setup', timeoutMs: 2_000 })),
  PodSandboxStats: () => cri().runtime.PodSandboxStats({ pod_sandbox_id: unknownId() }, PROBE),
  ListPodSandboxStats: () => cri().runtime.ListPodSandboxStats({ filter: NOTHING }, PROBE),
  ListMetricDescriptors: () => cri().runtime.ListMetricDescriptors({}, PROBE),
  ListPodSandboxMetrics: () => cri().runtime.ListPodSandboxMetrics({}, PROBE),
  CheckpointContainer: () =>
    cri().runtime.CheckpointContainer(
      { container_id: unknownId(), location: '/nonexistent/crit-probe.tar', timeout: '0' },
      PROBE,
    ),
  RuntimeConfig: () => cri().runtime.RuntimeConfig({}, PROBE),
  UpdatePodSandboxResources: () => cri().runtime.UpdatePodSandboxResources({ pod_sandbox_id: unknownId() }, PROBE),
} as const;

export type ProbedRpc = keyof typeof PROBES;

/** Skips the running test as unsupported when `rpc` answers UNIMPLEMENTED (fails it when required). */
export function requireRpc(test: Mocha.Context, rpc: ProbedRpc): Promise<void> {
  return requireFeature(test, rpc, PROBES[rpc]);
}

/** The first item of a stream (then cancels it), or undefined when it ends empty. */
async function firstItem<T>(stream: CallStream<T>): Promise<T | undefined> {
  for await (const item of stream) return item;
  return undefined;
}

/**
 * Awaits a call that must be refused. UNIMPLEMENTED is no refusal of the request (the RPC is
 * missing), so it fails the check instead of passing it.
 */
export async function expectRefusal(call: Promise<unknown>, what: string): Promise<CriCallError> {
  const err = await expectError(call, what);
  if (err.codeName === 'UNIMPLEMENTED')
    throw new AssertionError(`expected ${what} to be refused by an implemented RPC, got ${err.message}`);
  return err;
}
