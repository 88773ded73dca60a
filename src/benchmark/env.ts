// What every measurement group works with: the client, the recorder, the parameters, and the
// pod and container configs of the benchmark (labelled with the run, so the sweep finds them).
import type { CriClient } from '../client/cri-client.js';
import type { CallOpts } from '../client/call.js';
import type { PodSandboxConfig } from '../generated/runtime/v1/PodSandboxConfig.js';
import type { ContainerConfig } from '../generated/runtime/v1/ContainerConfig.js';
import { podConfig, withHostNetwork } from '../framework/config/pods.js';
import { containerConfig, withShell } from '../framework/config/containers.js';
import type { BenchmarkParams } from './params.js';
import type { Recorder, SampleClock } from './runner.js';

export interface BenchEnv {
  client: CriClient;
  recorder: Recorder;
  params: BenchmarkParams;
  runtimeHandler: string;
  runId: string;
  /** Progress lines (stderr). */
  say: (line: string) => void;
}

/** Options of an untimed (setup or teardown) call. */
export const SETUP: CallOpts = { role: 'setup' };

/** Options of a timed call: the rest of the sample's deadline. */
export const timed = (clock: SampleClock): CallOpts => ({ timeoutMs: clock.left() });

/** A pod on the pod network (CNI), as kubelet runs most pods; host network for list-scaling pods. */
export function benchPod(slug: string, hostNetwork = false): PodSandboxConfig {
  return hostNetwork ? podConfig(slug, withHostNetwork()) : podConfig(slug);
}

/** A busybox container that runs until stopped and exits at once on SIGTERM. */
export function benchContainer(slug: string): ContainerConfig {
  return containerConfig(slug, withShell("trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"));
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Stops and removes a pod (and so its containers); NOT_FOUND counts as removed. */
export async function removePod(env: BenchEnv, id: string): Promise<void> {
  await env.client.runtime.StopPodSandbox({ pod_sandbox_id: id }, SETUP);
  await env.client.runtime.RemovePodSandbox({ pod_sandbox_id: id }, SETUP);
}

/** Runs one pod as arrangement, returning its id and config. */
export async function runSetupPod(
  env: BenchEnv,
  slug: string,
  hostNetwork = false,
): Promise<{ id: string; config: PodSandboxConfig }> {
  const config = benchPod(slug, hostNetwork);
  const { pod_sandbox_id } = await env.client.runtime.RunPodSandbox(
    { config, runtime_handler: env.runtimeHandler },
    SETUP,
  );
  return { id: pod_sandbox_id, config };
}
