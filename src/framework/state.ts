// Waiting for pod and container states by polling the runtime with a deadline.
import type { ContainerStatus__Output } from '../generated/runtime/v1/ContainerStatus.js';
import type { PodSandboxStatus__Output } from '../generated/runtime/v1/PodSandboxStatus.js';
import { cri } from './cri.js';
import { eventually, type WaitOptions } from './wait.js';

export type ContainerStateName = ContainerStatus__Output['state'];
export type PodStateName = PodSandboxStatus__Output['state'];

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
export function waitForContainerState(id: string, state: ContainerStateName, opts?: WaitOptions): Promise<ContainerStatus__Output> {
  return eventually(`container ${id.slice(0, 12)} to reach ${state}`, () => containerStatus(id), (s) => s.state === state, opts);
}

/** Polls PodSandboxStatus until the sandbox is in `state`; returns that status. */
export function waitForPodState(id: string, state: PodStateName, opts?: WaitOptions): Promise<PodSandboxStatus__Output> {
  return eventually(`pod sandbox ${id.slice(0, 12)} to reach ${state}`, () => podStatus(id), (s) => s.state === state, opts);
}
