// Reading pod and container state as setup calls, and waiting for a state by polling the runtime
// with a deadline.
import type { ContainerStatus__Output } from '../../generated/runtime/v1/ContainerStatus.js';
import type { PodSandboxStatus__Output } from '../../generated/runtime/v1/PodSandboxStatus.js';
import type { PodSandboxStats__Output } from '../../generated/runtime/v1/PodSandboxStats.js';
import { cri } from '../run/cri.js';
import { sinceStarted, START_SETTLE_MS } from '../run/started.js';
import { eventually, type WaitOptions } from './wait.js';

export type ContainerStateName = ContainerStatus__Output['state'];

export async function containerStatus(id: string): Promise<ContainerStatus__Output> {
  const { status } = await cri().runtime.ContainerStatus({ container_id: id }, { role: 'setup' });
  if (!status) throw new Error(`ContainerStatus of ${id} returned no status`);
  return status;
}

export async function podStatus(id: string): Promise<PodSandboxStatus__Output> {
  const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: id }, { role: 'setup' });
  if (!status) throw new Error(`PodSandboxStatus of ${id} returned no status`);
  return status;
}

/**
 * Polls ContainerStatus until the container is in `state`; returns that status. Ends early, as a
 * verdict, when the container can no longer get there (see neverReaches).
 */
export function waitForContainerState(
  id: string,
  state: ContainerStateName,
  opts?: WaitOptions<ContainerStatus__Output>,
): Promise<ContainerStatus__Output> {
  return eventually(
    `container ${id.slice(0, 12)} to reach ${state}`,
    () => containerStatus(id),
    (s) => s.state === state,
    { hopeless: (s) => neverReaches(id, s, state), ...opts },
  );
}

/**
 * Why container `id` in `status` can never reach `awaited`, or undefined while it still may: an
 * exited container never runs again, and one that StartContainer answered OK for more than
 * START_SETTLE_MS ago yet still reads CONTAINER_CREATED never started (StartContainer returns
 * once the container is started), so it will neither run nor exit.
 */
export function neverReaches(
  id: string,
  status: ContainerStatus__Output,
  awaited: ContainerStateName,
): string | undefined {
  if (awaited === 'CONTAINER_RUNNING' && status.state === 'CONTAINER_EXITED') {
    return `it is CONTAINER_EXITED (exit_code ${status.exit_code}, reason "${status.reason}"), and an exited container never runs again`;
  }
  const since = sinceStarted(id);
  if (
    (awaited === 'CONTAINER_RUNNING' || awaited === 'CONTAINER_EXITED') &&
    status.state === 'CONTAINER_CREATED' &&
    since !== undefined &&
    since >= START_SETTLE_MS
  ) {
    return `StartContainer answered OK ${(since / 1000).toFixed(1)}s ago and it is still CONTAINER_CREATED: it never started`;
  }
  return undefined;
}

/**
 * After StartContainer answered OK: polls until the container left CONTAINER_CREATED (RUNNING, or
 * EXITED for a short process); fails within START_SETTLE_MS when it did not start.
 */
export function waitForStarted(id: string): Promise<ContainerStatus__Output> {
  return eventually(
    `container ${id.slice(0, 12)} to start (leave CONTAINER_CREATED) after StartContainer answered OK`,
    () => containerStatus(id),
    (s) => s.state !== 'CONTAINER_CREATED',
    { timeout: 30_000, hopeless: (s) => neverReaches(id, s, 'CONTAINER_RUNNING') },
  );
}

/** PodSandboxStats of `id` as a setup call, for polling until a counter is reported. */
export async function podStatsOf(id: string): Promise<PodSandboxStats__Output> {
  const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: id }, { role: 'setup' });
  if (!stats) throw new Error(`PodSandboxStats of ${id} returned no stats`);
  return stats;
}
