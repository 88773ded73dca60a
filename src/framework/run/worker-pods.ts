// The worker pods of this process (useWorkerPod), so that a test cannot make one its subject: every
// spec file the worker runs has containers in it, so a list or the stats of its containers depend
// on which files ran before. The rule is checked on the calls that would read them (cri.ts).

const workerPodIds = new Set<string>();

export function noteWorkerPod(podId: string): void {
  workerPodIds.add(podId);
}

/**
 * Why a test's request of `rpc` may not be made (it reads what the worker pod holds for every spec
 * file), or undefined when it may.
 */
export function readsWorkerPod(rpc: string, request: Record<string, unknown>): string | undefined {
  const filter = request.filter as Record<string, unknown> | undefined;
  const podId =
    rpc === 'PodSandboxStats'
      ? request.pod_sandbox_id
      : rpc === 'ListPodSandboxStats'
        ? filter?.id
        : filter?.pod_sandbox_id;
  if (typeof podId !== 'string' || !workerPodIds.has(podId)) return undefined;
  // A filter that also names one container shows that container at most, whatever else is there.
  if (rpc.startsWith('ListContainer') && typeof filter?.id === 'string' && filter.id !== '') return undefined;
  return (
    `${rpc} for the worker pod ${podId}: the containers of every spec file this worker ran are in it, ` +
    'so a test may not list or measure them; run a pod of its own (scope.runPod or shared(podOf(...)))'
  );
}

/** The RPCs whose request can name a pod whose containers it reads. */
export const READS_POD_CONTAINERS = [
  'ListContainers',
  'ListContainerStats',
  'PodSandboxStats',
  'ListPodSandboxStats',
] as const;
