// Container resources beyond CPU time and memory: cpuset, OOM score, huge pages, cgroup v2 unified
// keys and the swap limit, set at CreateContainer (and cpuset and unified changed by
// UpdateContainerResources), each observed inside the container: its cgroup files under
// /sys/fs/cgroup, or what the kernel reports of its processes in /proc. A field the host cannot
// honour (no huge pages, cgroup v1 for unified, no swap accounting) skips with the host's reason.
import { expect } from 'chai';
import type { LinuxContainerResources } from '../src/generated/runtime/v1/LinuxContainerResources.js';
import {
  type Container,
  type ContainerOpt,
  containerProcStatus,
  containerRunning,
  cri,
  hugepageSizesIn,
  itId,
  outputOf,
  type Pod,
  readCgroupFiles,
  rpc,
  runningIn,
  type Scope,
  type Shared,
  shared,
  skipWithReason,
  uniqueName,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withHostMarker,
  withResources,
} from '../src/framework/index.js';

const MiB = 1024 * 1024;

const CPUSET_CPUS = { v1: 'cpuset/cpuset.cpus', v2: 'cpuset.cpus' };
const CPUSET_MEMS = { v1: 'cpuset/cpuset.mems', v2: 'cpuset.mems' };

async function runLimited(
  scope: Scope,
  pod: Shared<Pod>,
  slug: string,
  resources: LinuxContainerResources,
  ...opts: ContainerOpt[]
): Promise<Container> {
  const c = await scope.runContainer(await pod.get(), slug, withResources(resources), ...opts);
  await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
  return c;
}

/** Bytes of a CRI page_size name (`2MB`, `1GB`: base 1024, as api.proto HugepageLimit says). */
function pageSizeBytes(name: string): number {
  const m = /^(\d+)([KMGT])B$/.exec(name);
  if (!m) throw new Error(`not a CRI page size: ${name}`);
  return Number(m[1]) * 1024 ** ('KMGT'.indexOf(m[2]) + 1);
}

/**
 * A script printing the oom_score_adj of the container's own process, found in /proc by the marker
 * in its command line (the container shares the pod's PID namespace, so PID 1 is the sandbox's).
 * The bracket keeps the search from finding the shell and grep that carry the pattern.
 */
function oomScoreAdjOfMarked(marker: string): string {
  const pattern = `[${marker[0]}]${marker.slice(1)}`;
  return `for p in /proc/[0-9]*; do grep -q '${pattern}' $p/cmdline 2>/dev/null && cat $p/oom_score_adj; done; :`;
}

describe('Container resources beyond CPU time and memory', function () {
  const scope = useScope();
  // Limits are set on each container's own cgroup: the containers share the worker pod.
  const workerPod = useWorkerPod();
  // A container without limits that the tests read what the host offers from (its CPUs, huge page
  // sizes, cgroup version) before they make the container under test.
  const plain = shared(runningIn(workerPod, 'res-plain'), containerRunning);

  /** Skips the test on a cgroup v1 host: api.proto unified is "Unified resources for cgroup v2". */
  async function requireCgroupV2(test: Mocha.Context): Promise<void> {
    const { version } = await readCgroupFiles((await plain.get()).id, {});
    if (version !== 'v2')
      skipWithReason(test, 'host has cgroup v1: unified resources are cgroup v2 files (the container sees cgroup v1)');
  }

  rpc('CreateContainer', { feature: 'config.linux.resources.cpuset_cpus' }, function () {
    // api.proto LinuxContainerResources.cpuset_cpus: "CpusetCpus constrains the allowed set of
    // logical CPUs." CPU 0 is on every host; on a host with more CPUs it is a true subset.
    itId(
      'create-container.resources-cpuset-cpus',
      'confines the container to the CPUs of cpuset_cpus [linux]',
      async function () {
        const c = await runLimited(scope, workerPod, 'res-cpus', { cpuset_cpus: '0' });
        const [{ values }, status] = await Promise.all([
          readCgroupFiles(c.id, { cpus: CPUSET_CPUS }),
          containerProcStatus(c.id),
        ]);
        expect(status.fields.Cpus_allowed_list, 'Cpus_allowed_list of a process in the container').to.equal('0');
        // cgroup v2 shows cpuset.cpus only where the cpuset controller is enabled for the cgroup.
        if (values.cpus !== undefined) expect(values.cpus, "the container cgroup's cpuset.cpus").to.equal('0');
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.linux.resources.cpuset_mems' }, function () {
    // api.proto cpuset_mems: "CpusetMems constrains the allowed set of memory nodes." Node 0 is on
    // every host (on a host with one node it is also the default: the test then only shows that
    // the runtime accepts and writes it).
    itId(
      'create-container.resources-cpuset-mems',
      'confines the container to the memory nodes of cpuset_mems [linux]',
      async function () {
        const c = await runLimited(scope, workerPod, 'res-mems', { cpuset_mems: '0' });
        const [{ values }, status] = await Promise.all([
          readCgroupFiles(c.id, { mems: CPUSET_MEMS }),
          containerProcStatus(c.id),
        ]);
        expect(status.fields.Mems_allowed_list, 'Mems_allowed_list of a process in the container').to.equal('0');
        if (values.mems !== undefined) expect(values.mems, "the container cgroup's cpuset.mems").to.equal('0');
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.linux.resources.oom_score_adj' }, function () {
    // api.proto oom_score_adj: "OOMScoreAdj adjusts the oom-killer score. Default: 0 (not
    // specified)." The kernel takes -1000..1000; raising a score needs no privilege, lowering one
    // below the runtime's own needs CAP_SYS_RESOURCE (containerd's restrict_oom_score_adj clamps
    // it to its own score instead). 500 is above any score a runtime runs with, so it holds as is.
    itId(
      'create-container.resources-oom-score-adj',
      "sets the container process's oom_score_adj [linux]",
      async function () {
        const marker = uniqueName('mark-oom-adj');
        const c = await runLimited(scope, workerPod, 'res-oom-adj', { oom_score_adj: 500 }, withHostMarker(marker));
        const adj = (await outputOf(c.id, oomScoreAdjOfMarked(marker))).trim();
        expect(adj, "oom_score_adj of the container's own process").to.equal('500');
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.linux.resources.hugepage_limits' }, function () {
    // api.proto HugepageLimit: "corresponds to the file`hugetlb.<hugepagesize>.limit_in_byte` in
    // container level cgroup" (cgroup v2: hugetlb.<size>.max); page_size "must match the
    // <hugepagesize> of the corresponding control file".
    itId(
      'create-container.resources-hugepage-limits',
      'limits the huge pages of the container to hugepage_limits [linux]',
      async function () {
        const probe = (await plain.get()).id;
        const [size] = await hugepageSizesIn(probe);
        if (size === undefined) skipWithReason(this, 'host lacks hugetlb: /sys/kernel/mm/hugepages lists no page size');
        const file = { v1: `hugetlb/hugetlb.${size}.limit_in_bytes`, v2: `hugetlb.${size}.max` };
        const { values: offered } = await readCgroupFiles(probe, { limit: file });
        if (offered.limit === undefined)
          skipWithReason(this, `host lacks hugetlb: the container cgroup has no ${file.v1} (v2: ${file.v2})`);
        const limit = 2 * pageSizeBytes(size);
        const c = await runLimited(scope, workerPod, 'res-hugetlb', {
          hugepage_limits: [{ page_size: size, limit: String(limit) }],
        });
        const { values, version } = await readCgroupFiles(c.id, { limit: file });
        expect(values.limit, `cgroup ${version} hugetlb ${size} limit`).to.equal(String(limit));
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.linux.resources.unified' }, function () {
    // api.proto unified: "Unified resources for cgroup v2. ... Each key/value in the map refers to
    // the cgroup v2" file of that name.
    itId(
      'create-container.resources-unified',
      'writes the unified cgroup v2 keys to the container cgroup [linux]',
      async function () {
        await requireCgroupV2(this);
        const c = await runLimited(scope, workerPod, 'res-unified', {
          unified: { 'pids.max': '77', 'memory.high': String(48 * MiB) },
        });
        const { values } = await readCgroupFiles(c.id, { pids: { v2: 'pids.max' }, high: { v2: 'memory.high' } });
        expect(values, 'the container cgroup pids.max and memory.high').to.deep.equal({
          pids: '77',
          high: String(48 * MiB),
        });
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.linux.resources.memory_swap_limit_in_bytes' }, function () {
    // api.proto memory_swap_limit_in_bytes: "Memory swap limit in bytes." Kubelet sends memory plus
    // swap, as OCI linux.resources.memory.swap is: cgroup v1 memory.memsw.limit_in_bytes holds it
    // as is; on cgroup v2 runc and crun write the swap alone (memory.swap.max = swap - memory).
    // api.proto says no more, so v2 accepts either reading.
    itId(
      'create-container.resources-memory-swap-limit',
      "sets the container cgroup's swap limit [linux]",
      async function () {
        const file = { v1: 'memory/memory.memsw.limit_in_bytes', v2: 'memory.swap.max' };
        const { values: offered } = await readCgroupFiles((await plain.get()).id, { swap: file });
        if (offered.swap === undefined)
          skipWithReason(this, `host lacks swap accounting: the container cgroup has no ${file.v1} (v2: ${file.v2})`);
        const memory = 64 * MiB;
        const swap = 96 * MiB;
        const c = await runLimited(scope, workerPod, 'res-swap', {
          memory_limit_in_bytes: String(memory),
          memory_swap_limit_in_bytes: String(swap),
        });
        const { values, version } = await readCgroupFiles(c.id, { swap: file });
        const allowed = version === 'v1' ? [String(swap)] : [String(swap - memory), String(swap)];
        expect(values.swap, `cgroup ${version} ${version === 'v1' ? file.v1 : file.v2}`).to.be.oneOf(allowed);
      },
    );
  });

  rpc('UpdateContainerResources', { feature: 'linux.cpuset_cpus' }, function () {
    // api.proto UpdateContainerResources: "updates ContainerConfig of the container
    // synchronously." A container made on CPU 0 is moved to every CPU the host offers.
    itId(
      'update-container-resources.changes-cpuset-cpus',
      'changes the CPUs a running container may use [linux]',
      async function () {
        const all = (await containerProcStatus((await plain.get()).id)).fields.Cpus_allowed_list;
        if (all === '0') skipWithReason(this, 'host offers one CPU: there is no other cpuset to move a container to');
        const c = await runLimited(scope, workerPod, 'res-cpus-update', { cpuset_cpus: '0' });
        await cri().runtime.UpdateContainerResources({ container_id: c.id, linux: { cpuset_cpus: all } });
        const status = await containerProcStatus(c.id);
        expect(status.fields.Cpus_allowed_list, 'Cpus_allowed_list after UpdateContainerResources').to.equal(all);
      },
    );
  });

  rpc('UpdateContainerResources', { feature: 'linux.unified' }, function () {
    itId(
      'update-container-resources.changes-unified',
      'changes the unified cgroup v2 keys of a running container [linux]',
      async function () {
        await requireCgroupV2(this);
        const c = await runLimited(scope, workerPod, 'res-unified-update', { unified: { 'pids.max': '77' } });
        await cri().runtime.UpdateContainerResources({ container_id: c.id, linux: { unified: { 'pids.max': '99' } } });
        const { values } = await readCgroupFiles(c.id, { pids: { v2: 'pids.max' } });
        expect(values.pids, 'the container cgroup pids.max after UpdateContainerResources').to.equal('99');
      },
    );
  });
});
