// Calls under test that create things: CreateContainer or RunPodSandbox called by the spec itself
// (recorded as the call under test, not a fixture), the result tracked by the scope at once.
import type { ContainerConfig } from '../generated/runtime/v1/ContainerConfig.js';
import type { CreateContainerRequest } from '../generated/runtime/v1/CreateContainerRequest.js';
import { cri } from './cri.js';
import { ensureImage } from './image-cache.js';
import { setup, type Pod, type Scope } from './scope.js';
import { containerConfig, type ContainerOpt } from './containers.js';
import { podConfig, type PodOpt } from './pods.js';
import { ctx } from './context.js';
import type { PodHandle } from './shared-pod.js';

/** A CreateContainerRequest for `config` in `pod`, its image present on the runtime. */
export async function createRequest(pod: Pod, config: ContainerConfig): Promise<CreateContainerRequest> {
  await setup(`image ${config.image?.image}`, ensureImage(config.image?.image ?? ''));
  return { pod_sandbox_id: pod.id, config, sandbox_config: pod.config };
}

/** StartContainer as a fixture call. */
export async function startContainer(id: string): Promise<void> {
  await setup('StartContainer', cri().runtime.StartContainer({ container_id: id }, { role: 'setup' }));
}

/**
 * Runs a pod `slug`, then creates a container in it with CreateContainer as the call under test
 * (not a fixture), tracks it and starts it as a fixture. Returns the container id.
 */
export async function runUnderTest(scope: Scope, slug: string, ...opts: ContainerOpt[]): Promise<string> {
  const pod = await scope.runPod(slug);
  return createUnderTest(scope, pod, containerConfig(slug, ...opts));
}

/**
 * Like runUnderTest, in the describe's shared (or worker) pod: for tests whose pod is only where the container
 * runs (its containers are removed after each test, the pod after the describe).
 */
export async function runUnderTestIn(scope: Scope, pod: PodHandle, slug: string, ...opts: ContainerOpt[]): Promise<string> {
  return createUnderTest(scope, await pod.get(), containerConfig(slug, ...opts));
}

/** CreateContainer of `config` in `pod` as the call under test; tracked, then started as a fixture. */
export async function createUnderTest(scope: Scope, pod: Pod, config: ContainerConfig): Promise<string> {
  const { container_id: id } = await cri().runtime.CreateContainer(await createRequest(pod, config));
  scope.trackContainer(id);
  await startContainer(id);
  return id;
}

/** RunPodSandbox of `podConfig(slug, ...opts)` as the call under test (not a fixture), tracked. */
export async function runPodUnderTest(scope: Scope, slug: string, ...opts: PodOpt[]): Promise<Pod> {
  const config = podConfig(slug, ...opts);
  const { pod_sandbox_id: id } = await cri().runtime.RunPodSandbox({ config, runtime_handler: ctx().runtimeHandler });
  scope.trackPod(id);
  return { id, config };
}
