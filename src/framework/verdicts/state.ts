// Reading pod and container state as setup calls, and waiting for a state by polling the runtime
// with a deadline.
import type { ContainerStatus__Output } from '../../generated/runtime/v1/ContainerStatus.js';
import type { PodSandboxStatus__Output } from '../../generated/runtime/v1/PodSandboxStatus.js';
import type { PodSandboxStats__Output } from '../../generated/runtime/v1/PodSandboxStats.js';
import { cri } from '../run/cri.js';
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

/** Polls ContainerStatus until the container is in `state`; returns that status. */
export function waitForContainerState(
  id: string,
  state: ContainerStateName,
  opts?: WaitOptions,
): Promise<ContainerStatus__Output> {
  return eventually(
    `container ${id.slice(0, 12)} to reach ${state}`,
    () => containerStatus(id),
    (s) => s.state === state,
    opts,
  );
}

/** PodSandboxStats of `id` as a setup call, for polling until a counter is reported. */
export async function podStatsOf(id: string): Promise<PodSandboxStats__Output> {
  const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: id }, { role: 'setup' });
  if (!stats) throw new Error(`PodSandboxStats of ${id} returned no stats`);
  return stats;
}
