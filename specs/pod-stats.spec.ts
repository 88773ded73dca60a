// RuntimeService pod sandbox stats: PodSandboxStats and ListPodSandboxStats (optional: kubelet
// calls them under the PodAndContainerStatsFromCRI feature gate).
import { expect } from 'chai';
import {
  containerRunning,
  cri,
  eventually,
  expectRefusal,
  isRuntimeAnswer,
  nanos,
  podOf,
  type PodOpt,
  podReady,
  podStatsOf,
  requireRpc,
  rpc,
  runningIn,
  shared,
  sortedIds,
  uint64,
  uniqueName,
  unknownId,
  useScope,
  withAnnotations,
  withLabels,
} from '../src/framework/index.js';

describe('Stats', function () {
  useScope(); // names each test's calls in the call log; the tests create nothing of their own
  // Every test here reads the stats of a pod and none changes it: they share one measured pod,
  // labelled and annotated for the attributes test, with two running containers (for cpu and
  // memory usage, the process count and the per-container stats), and the filter tests also list
  // it by id and label against one other pod. No test adds a container to it.
  let select: string | undefined;
  const selectValue = (): string => (select ??= uniqueName('sel'));
  const withSelect =
    (suffix: string): PodOpt =>
    (c) =>
      withLabels({ 'crit-select': `${selectValue()}${suffix}` })(c);
  const measured = shared(
    podOf(
      'podstats',
      withLabels({ 'crit-key': 'crit-value' }),
      withAnnotations({ 'crit-note': 'kept as given' }),
      withSelect(''),
    ),
    podReady,
  );
  const containerA = shared(runningIn(measured, 'a'), containerRunning);
  const containerB = shared(runningIn(measured, 'b'), containerRunning);
  const runningContainers = () => Promise.all([containerA.get(), containerB.get()]);

  rpc('PodSandboxStats', function () {
    beforeEach(async function () {
      await requireRpc(this, 'PodSandboxStats');
    });

    // api.proto PodSandboxAttributes: "Annotations MUST NOT be altered by the runtime".
    it('reports attributes that match the pod [optional]', async function () {
      const pod = await measured.get();
      const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: pod.id });
      const attrs = stats?.attributes;
      expect(attrs?.id, 'PodSandboxStats.attributes.id').to.equal(pod.id);
      expect(attrs?.metadata, 'PodSandboxStats.attributes.metadata').to.deep.equal(pod.config.metadata);
      expect(attrs?.labels, 'PodSandboxStats.attributes.labels').to.include(pod.config.labels);
      expect(attrs?.annotations, 'PodSandboxStats.attributes.annotations').to.deep.equal(pod.config.annotations);
    });

    // api.proto LinuxPodSandboxStats.cpu: "CPU usage gathered for the pod sandbox"; memory: "Memory
    // usage gathered for the pod sandbox"; timestamps "Must be > 0".
    it('reports linux cpu and memory usage of the pod [optional] [linux]', async function () {
      const pod = await measured.get();
      await runningContainers();
      const stats = await eventually(
        'PodSandboxStats.linux cpu and memory usage to be reported',
        () => podStatsOf(pod.id),
        (s) =>
          uint64(s.linux?.cpu?.usage_core_nano_seconds) !== undefined &&
          uint64(s.linux?.memory?.working_set_bytes) !== undefined,
        { timeout: 30_000, stopOn: isRuntimeAnswer },
      );
      const { stats: direct } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: pod.id });
      const linux = direct?.linux;
      expect(
        uint64(linux?.cpu?.usage_core_nano_seconds),
        `PodSandboxStats.linux.cpu.usage_core_nano_seconds (was ${stats.linux?.cpu?.usage_core_nano_seconds?.value})`,
      ).to.be.a('bigint');
      expect(
        nanos(linux?.cpu?.timestamp) > 0n,
        `PodSandboxStats.linux.cpu.timestamp ${linux?.cpu?.timestamp} > 0`,
      ).to.equal(true);
      expect(
        uint64(linux?.memory?.working_set_bytes)! > 0n,
        `PodSandboxStats.linux.memory.working_set_bytes ${linux?.memory?.working_set_bytes?.value} > 0`,
      ).to.equal(true);
    });

    // api.proto LinuxPodSandboxStats.network: "Network usage gathered for the pod sandbox";
    // NetworkUsage.default_interface: "Stats for the default network interface".
    it('reports network usage of the pod default interface [optional] [linux]', async function () {
      const pod = await measured.get();
      const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: pod.id });
      const network = stats?.linux?.network;
      expect(network, 'PodSandboxStats.linux.network').to.not.equal(null);
      expect(
        nanos(network?.timestamp) > 0n,
        `PodSandboxStats.linux.network.timestamp ${network?.timestamp} > 0`,
      ).to.equal(true);
      expect(network?.default_interface?.name, 'PodSandboxStats.linux.network.default_interface.name')
        .to.be.a('string')
        .and.not.equal('');
      expect(
        uint64(network?.default_interface?.rx_bytes),
        'PodSandboxStats.linux.network.default_interface.rx_bytes',
      ).to.be.a('bigint');
    });

    // api.proto LinuxPodSandboxStats.process: "Stats pertaining to processes in the pod sandbox";
    // ProcessUsage.process_count: "Number of processes".
    it('counts the processes of the pod [optional] [linux]', async function () {
      const pod = await measured.get();
      await runningContainers();
      const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: pod.id });
      const process = stats?.linux?.process;
      expect(
        nanos(process?.timestamp) > 0n,
        `PodSandboxStats.linux.process.timestamp ${process?.timestamp} > 0`,
      ).to.equal(true);
      expect(
        (uint64(process?.process_count) ?? 0n) >= 1n,
        `PodSandboxStats.linux.process.process_count ${process?.process_count?.value} >= 1 with a running container`,
      ).to.equal(true);
    });

    // api.proto LinuxPodSandboxStats.containers: "Stats of containers in the measured pod sandbox".
    it('includes stats of each of the pod containers [optional] [linux]', async function () {
      const pod = await measured.get();
      const mine = await runningContainers();
      const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: pod.id });
      expect(
        sortedIds(stats?.linux?.containers ?? []),
        'PodSandboxStats.linux.containers[].attributes.id',
      ).to.deep.equal(mine.map((c) => c.id).sort());
    });

    // api.proto PodSandboxStats: "If the pod sandbox does not exist, the call returns an error."
    it('returns an error for an unknown pod sandbox id [optional]', async function () {
      await expectRefusal(
        cri().runtime.PodSandboxStats({ pod_sandbox_id: unknownId() }),
        'PodSandboxStats of an unknown pod sandbox id',
      );
    });
  });

  rpc('ListPodSandboxStats', function () {
    // The pod that each filter must leave out: a label value other than the measured pod's.
    const other = shared(podOf('podstats-other', withSelect('-not')), podReady);
    const pods = () => Promise.all([measured.get(), other.get()]);

    beforeEach(async function () {
      await requireRpc(this, 'ListPodSandboxStats');
    });

    it('filters by pod sandbox id [optional]', async function () {
      const [pod] = await pods();
      const { stats } = await cri().runtime.ListPodSandboxStats({ filter: { id: pod.id } });
      expect(sortedIds(stats), 'ListPodSandboxStats(filter.id).stats[].attributes.id').to.deep.equal([pod.id]);
    });

    it('filters by label_selector [optional]', async function () {
      const [pod] = await pods();
      const value = pod.config.labels!['crit-select'];
      const { stats } = await cri().runtime.ListPodSandboxStats({
        filter: { label_selector: { 'crit-select': value } },
      });
      expect(
        sortedIds(stats),
        `ListPodSandboxStats(label_selector crit-select=${value}).stats[].attributes.id`,
      ).to.deep.equal([pod.id]);
    });

    // api.proto PodSandboxStatsFilter: "All those fields are combined with 'AND'".
    it('combines filter fields with AND [optional]', async function () {
      const pod = await measured.get();
      const value = pod.config.labels!['crit-select'];
      const { stats } = await cri().runtime.ListPodSandboxStats({
        filter: { id: pod.id, label_selector: { 'crit-select': `${value}-not` } },
      });
      expect(sortedIds(stats), 'ListPodSandboxStats(its id and a label it lacks).stats[].attributes.id').to.deep.equal(
        [],
      );
    });
  });
});
