// Pod-level cgroups: a pod's containers run under the pod's cgroup_parent, and a pod whose config
// carries pod-level resources and overhead runs. Where a container's process sits is read on the
// runtime's host (/proc/<pid>/cgroup of the container's process): inside the container a private
// cgroup namespace shows only `/`.
//
// api.proto gives pod-level resources and overhead no effect of their own ("Optional resources
// represents the sum of container resources for this sandbox"): kubelet sets the pod's limits on
// the cgroup_parent it made, and containerd 2.1 with runc passes them on only as annotations of
// the sandbox's OCI spec (for VM runtimes, which size the VM by them). So the suite checks that
// they are accepted, not a limit in a cgroup.
import { expect } from 'chai';
import {
  type Container,
  ctx,
  hostCgroupsOfMarked,
  itId,
  type Pod,
  podStatus,
  requireLocalRuntime,
  resourceCgroupPath,
  rpc,
  type Scope,
  skipWithReason,
  uniqueName,
  useScope,
  waitForContainerState,
  withHostMarker,
  withPodResources,
} from '../src/framework/index.js';

const MiB = 1024 * 1024;

/** A running container of `pod` whose process the host can find by a marker in its command line. */
async function markedContainer(scope: Scope, pod: Pod, slug: string): Promise<{ c: Container; marker: string }> {
  const marker = uniqueName(`mark-${slug}`);
  const c = await scope.runContainer(pod, slug, withHostMarker(marker));
  await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
  return { c, marker };
}

/**
 * The host's cgroup path of the marked container's process (memory hierarchy on cgroup v1, the
 * unified one on v2); skips when the host sees no such process (a runtime that runs containers in
 * a VM).
 */
async function hostCgroupPathOf(test: Mocha.Context, marker: string): Promise<string> {
  const memberships = await hostCgroupsOfMarked(marker);
  if (!memberships)
    skipWithReason(test, "the container's process is not visible on the runtime's host (runs in a VM?)");
  const path = resourceCgroupPath(memberships);
  expect(path, `/proc/<pid>/cgroup of the container process: ${JSON.stringify(memberships)}`).to.be.a('string');
  return path!;
}

/**
 * Whether `path` lies under `parent`: a cgroupfs parent is a path prefix (`/kubepods/…/pod<uid>`),
 * a systemd one a slice that is one of the path's directories. The host may see the path below a
 * cgroup of its own (a nested host), so the parent need not start the path.
 */
function isUnder(path: string, parent: string): boolean {
  if (parent.startsWith('/')) return `${path}/`.includes(`${parent.replace(/\/+$/, '')}/`);
  return path.split('/').includes(parent);
}

describe('Pod cgroups', function () {
  const scope = useScope();

  rpc('RunPodSandbox', { feature: 'config.linux.cgroup_parent' }, function () {
    // api.proto LinuxPodSandboxConfig.cgroup_parent: "Parent cgroup of the PodSandbox. The
    // cgroupfs style syntax will be used, but the container runtime can convert it to systemd
    // semantics if needed." The pod's containers are below it (critest: "should support
    // cgroup_parent"): kubelet's pod-level limits there hold for them.
    itId(
      'run-pod-sandbox.puts-containers-under-cgroup-parent',
      "puts the pod's containers under the pod's cgroup_parent [linux]",
      async function () {
        requireLocalRuntime(this, "to read the container process's cgroup");
        const pod = await scope.runPod('pod-cgparent');
        const parent = pod.config.linux?.cgroup_parent ?? '';
        const { marker } = await markedContainer(scope, pod, 'pod-cgparent');
        const path = await hostCgroupPathOf(this, marker);
        expect(
          isUnder(path, parent),
          `container cgroup ${path} lies under the pod's cgroup_parent ${parent} (${ctx().cgroupDriver ?? 'CGROUPFS'} driver)`,
        ).to.equal(true);
      },
    );
  });

  rpc('RunPodSandbox', { feature: 'config.linux.resources' }, function () {
    // api.proto LinuxPodSandboxConfig: overhead "Optional overhead represents the overheads
    // associated with this sandbox"; resources "Optional resources represents the sum of
    // container resources for this sandbox". Kubelet sends both (PodLevelResources, PodOverhead).
    itId(
      'run-pod-sandbox.runs-pod-with-resources-overhead',
      'runs a pod whose config carries pod-level resources and overhead, its containers under its cgroup_parent [linux]',
      async function () {
        requireLocalRuntime(this, "to read the container process's cgroup");
        const pod = await scope.runPod(
          'pod-res',
          withPodResources(
            { cpu_period: 100_000, cpu_quota: 50_000, cpu_shares: 512, memory_limit_in_bytes: String(128 * MiB) },
            { cpu_period: 100_000, cpu_quota: 10_000, cpu_shares: 102, memory_limit_in_bytes: String(32 * MiB) },
          ),
        );
        expect((await podStatus(pod.id)).state, 'the pod state after RunPodSandbox').to.equal('SANDBOX_READY');
        const { marker } = await markedContainer(scope, pod, 'pod-res');
        const parent = pod.config.linux?.cgroup_parent ?? '';
        const path = await hostCgroupPathOf(this, marker);
        expect(isUnder(path, parent), `container cgroup ${path} lies under the pod's cgroup_parent ${parent}`).to.equal(
          true,
        );
      },
    );
  });
});
