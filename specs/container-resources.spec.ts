// Container resources: CPU shares/quota/period and memory limit set at CreateContainer and changed
// by UpdateContainerResources, observed in the container's cgroup files and in ContainerStatus.
import { expect } from 'chai';
import type { LinuxContainerResources } from '../src/generated/runtime/v1/LinuxContainerResources.js';
import {
  type CgroupLimits,
  type Container,
  cri,
  eventually,
  expectError,
  itId,
  outputOf,
  type Pod,
  readCgroupLimits,
  requireReported,
  rpc,
  setup,
  type Shared,
  unknownId,
  useScope,
  useWorkerPod,
  waitForContainerState,
  weightsForShares,
  withResources,
  withShell,
} from '../src/framework/index.js';

const MiB = 1024 * 1024;
/** The file whose creation lets the OOM container outgrow its memory limit. */
const OOM_GO = '/tmp/crit-oom-go';
const CREATE: LinuxContainerResources = {
  cpu_shares: 512,
  cpu_quota: 20_000,
  cpu_period: 100_000,
  memory_limit_in_bytes: 64 * MiB,
};
const UPDATE: LinuxContainerResources = {
  cpu_shares: 256,
  cpu_quota: 50_000,
  cpu_period: 100_000,
  memory_limit_in_bytes: 128 * MiB,
};

async function limitedContainer(workerPod: Shared<Pod>, slug: string): Promise<Container> {
  const c = await workerPod.scope.runContainer(await workerPod.get(), slug, withResources(CREATE));
  await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
  return c;
}

function expectLimits(seen: CgroupLimits, want: LinuxContainerResources, when: string): void {
  expect(
    { quota: seen.cpuQuota, period: seen.cpuPeriod, memory: seen.memoryLimit },
    `cgroup ${seen.version} cpu quota/period and memory limit ${when}`,
  ).to.deep.equal({
    quota: Number(want.cpu_quota),
    period: Number(want.cpu_period),
    memory: Number(want.memory_limit_in_bytes),
  });
  const shares = Number(want.cpu_shares);
  const weight = seen.version === 'v1' ? seen.cpuShares : seen.cpuWeight;
  const allowed = seen.version === 'v1' ? [shares] : weightsForShares(shares);
  expect(
    weight,
    `cgroup ${seen.version} ${seen.version === 'v1' ? 'cpu.shares' : 'cpu.weight'} for cpu_shares ${shares} ${when}`,
  ).to.be.oneOf(allowed);
}

const asList = (r: LinuxContainerResources): number[] =>
  [r.cpu_shares, r.cpu_quota, r.cpu_period, r.memory_limit_in_bytes].map(Number);

/** ContainerStatus.resources.linux as [cpu_shares, cpu_quota, cpu_period, memory_limit_in_bytes]; skips when not reported. */
async function reportedResources(test: Mocha.Context, id: string): Promise<number[]> {
  const { status } = await cri().runtime.ContainerStatus({ container_id: id });
  const r = status?.resources?.linux;
  requireReported(test, 'ContainerStatus.resources', !!r, 'ContainerStatus.resources is not reported by this runtime');
  return asList(r!);
}

describe('Container resources', function () {
  useScope();
  // Limits are set on each container's own cgroup: the containers share the describe's pod.
  const workerPod = useWorkerPod();
  // The containers of the tests below, each made by the test that asks for it (its calls are that
  // test's): the two tests of what CreateContainer set (the cgroup, the status) each make one with
  // the CREATE limits; the tests that update limits or get OOM-killed make theirs.
  const made = {
    created: () => limitedContainer(workerPod, 'res-create'),
    oomKilled: async () => {
      const limit = { memory_limit_in_bytes: 16 * MiB, memory_swap_limit_in_bytes: 16 * MiB };
      // The process outgrows the limit only once StartContainer has returned (a file that an exec
      // creates): a runtime watches for the OOM from the start of the task, and a kill before that
      // is a race of the start, not what this test asks (seen on containerd 2.1 under cgroup v1
      // with two runs at once: reason "Error" for a dd killed within milliseconds of its start).
      const c = await workerPod.scope.runContainer(
        await workerPod.get(),
        'res-oom',
        withResources(limit),
        withShell(`until [ -e ${OOM_GO} ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=64M count=4`),
      );
      await setup(`touch ${OOM_GO} in ${c.id.slice(0, 12)}`, outputOf(c.id, `touch ${OOM_GO}`));
      return waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 60_000 });
    },
    toUpdate: () => limitedContainer(workerPod, 'res-update'),
    toUpdateStatus: () => limitedContainer(workerPod, 'res-update-status'),
  };
  const created = (): Promise<Container> => made.created();

  rpc('CreateContainer', { feature: 'config.linux.resources' }, function () {
    // api.proto LinuxContainerResources: cpu_period "CPU CFS ... period", cpu_quota "CPU CFS ...
    // quota", cpu_shares "CPU shares (relative weight vs. other containers)", memory_limit_in_bytes
    // "Memory limit in bytes".
    it('applies cpu shares, quota, period and memory limit to the container cgroup [linux]', async function () {
      const c = await created();
      expectLimits(await readCgroupLimits(c.id), CREATE, 'after CreateContainer');
    });
  });

  rpc('UpdateContainerResources', function () {
    // api.proto UpdateContainerResources: "updates ContainerConfig of the container synchronously."
    itId(
      'update-container-resources.changes-cgroup-limits-running-container',
      'changes the cgroup limits of a running container [linux]',
      async function () {
        const c = await made.toUpdate();
        await cri().runtime.UpdateContainerResources({ container_id: c.id, linux: UPDATE });
        expectLimits(await readCgroupLimits(c.id), UPDATE, 'after UpdateContainerResources');
      },
      { feature: 'linux' },
    );

    it('changes the resources ContainerStatus reports [optional]', async function () {
      const c = await made.toUpdateStatus();
      await cri().runtime.UpdateContainerResources({ container_id: c.id, linux: UPDATE });
      const reported = await reportedResources(this, c.id);
      expect(
        reported,
        'ContainerStatus.resources.linux [cpu_shares, cpu_quota, cpu_period, memory_limit_in_bytes] after UpdateContainerResources',
      ).to.deep.equal(asList(UPDATE));
    });

    // api.proto UpdateContainerResources: "If runtime fails to transactionally update the
    // requested resources, an error is returned." There is no container to update.
    it('fails for an unknown container id', async function () {
      await expectError(
        cri().runtime.UpdateContainerResources({ container_id: unknownId(), linux: UPDATE }),
        'UpdateContainerResources of an unknown id',
      );
    });
  });

  rpc('ContainerStatus', function () {
    // api.proto ContainerStatus.resources: "Resource limits configuration of the container."
    it('reports the resources the container was created with [optional]', async function () {
      const c = await created();
      const reported = await reportedResources(this, c.id);
      expect(
        reported,
        'ContainerStatus.resources.linux [cpu_shares, cpu_quota, cpu_period, memory_limit_in_bytes]',
      ).to.deep.equal(asList(CREATE));
    });

    // api.proto ContainerStatus.reason: 'Must be set to "OOMKilled" for containers terminated by
    // cgroup-based Out-of-Memory killer.'
    // The kernel's OOM event and the process's exit reach the runtime apart, in either order: the
    // reason may follow CONTAINER_EXITED by a moment, so it is read until it is set (10 s at most).
    it('reports reason OOMKilled for a container the memory limit killed [linux]', async function () {
      const exited = await made.oomKilled();
      const status = await eventually(
        'ContainerStatus.reason OOMKilled after the OOM kill',
        async () => (await cri().runtime.ContainerStatus({ container_id: exited.id })).status ?? exited,
        (s) => s.reason === 'OOMKilled',
        { timeout: 10_000 },
      ).catch(async () => (await cri().runtime.ContainerStatus({ container_id: exited.id })).status ?? exited);
      expect(
        [status.reason, status.exit_code],
        'ContainerStatus [reason, exit_code] after the process outgrew a 16 MiB limit',
      ).to.deep.equal(['OOMKilled', 137]);
    });
  });
});
