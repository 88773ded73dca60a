// One pod that the tests of a describe share when the pod is only where their containers run, not
// what they check. Running and tearing down a pod sandbox (pause process, network namespace, CNI)
// costs a runtime far more than a container, so sharing it is most of what makes the suite fast.
// Each test still creates, and its own scope removes, its containers; the pod is made on first
// use (tests that skip never make it) and removed once, after the describe's last test.
import type { ContainerOpt } from './containers.js';
import type { PodOpt } from './pods.js';
import type { Container, Pod, Scope } from './scope.js';
import { containerStatus, podStatus } from './state.js';
import { useSharedScope } from './shared-scope.js';

export interface SharedPod {
  /** The describe's pod: run on the first call; later calls check that it is still ready. */
  get(): Promise<Pod>;
  /** Tracks the pod and the describe's shared containers, removed after its last test. */
  readonly scope: Scope;
}

/**
 * Registers the shared pod of the current describe. A test that stops or removes the pod, lists
 * the pod's containers or reads the pod's own state must run its own pod instead.
 */
export function useSharedPod(slug: string, ...opts: PodOpt[]): SharedPod {
  const scope = useSharedScope();
  let pod: Promise<Pod> | undefined;
  return {
    scope,
    async get(): Promise<Pod> {
      if (!pod) {
        pod = scope.runPod(slug, ...opts);
        pod.catch(() => {
          pod = undefined;
        });
        return pod;
      }
      const ready = await pod;
      const status = await podStatus(ready.id);
      if (status.state !== 'SANDBOX_READY') {
        throw new Error(`the shared pod ${slug} (${ready.id}) of this describe is ${status.state}: an earlier test stopped it`);
      }
      return ready;
    },
  };
}

export interface SharedContainer {
  /** The describe's running container: created on the first call; later calls check it still runs. */
  get(): Promise<Container>;
}

/**
 * A long-running container in `pod` that the tests of a describe share when they only run
 * commands in it (ExecSync, Exec): no test may stop it or change what the others observe.
 * It is removed with the pod's scope, before the pod.
 */
export function useSharedContainer(pod: SharedPod, slug: string, ...opts: ContainerOpt[]): SharedContainer {
  let container: Promise<Container> | undefined;
  return {
    async get(): Promise<Container> {
      if (!container) {
        container = pod.get().then((p) => pod.scope.runContainer(p, slug, ...opts));
        container.catch(() => {
          container = undefined;
        });
        return container;
      }
      const running = await container;
      const status = await containerStatus(running.id);
      if (status.state !== 'CONTAINER_RUNNING') {
        throw new Error(`the shared container ${slug} (${running.id}) of this describe is ${status.state}: an earlier test stopped it`);
      }
      return running;
    },
  };
}
