// RuntimeService container stats: ContainerStats and ListContainerStats (both required: kubelet's
// CRI stats provider calls them).
import { expect } from 'chai';
import {
  type ContainerOpt,
  containerRunning,
  cri,
  eventually,
  expectOk,
  expectRefusal,
  isRuntimeAnswer,
  itId,
  nanos,
  podOf,
  podReady,
  rpc,
  runningIn,
  shared,
  sortedIds,
  uint64,
  uniqueName,
  unknownId,
  useScope,
  useWorkerPod,
  withAttempt,
  withContainerAnnotations,
  withContainerLabels,
  withShell,
} from '../src/framework/index.js';

const MiB = 1024n * 1024n;

describe('Stats', function () {
  const scope = useScope();
  // The pod of the ContainerStats tests; for the ListContainerStats tests it is the other pod, the
  // one whose container each filter must leave out.
  const workerPod = useWorkerPod();
  // The container with known usage that the attributes, memory and writable layer tests each read
  // other fields of (none changes it): created with attempt 2, labels and annotations, it wrote a
  // 2 MiB file and then idles. The cpu test keeps its own busy container, so that no busy loop
  // spins for longer than the one test that needs it.
  const measured = shared(
    runningIn(
      workerPod,
      'stats-measured',
      withAttempt(2),
      withContainerLabels({ 'crit-key': 'crit-value' }),
      withContainerAnnotations({ 'crit-note': 'kept as given' }),
      withShell('dd if=/dev/zero of=/crit-fill bs=1024 count=2048 && trap "exit 0" TERM; while :; do sleep 1; done'),
    ),
    containerRunning,
  );

  rpc('ContainerStats', function () {
    // api.proto ContainerAttributes: "Annotations MUST NOT be altered by the runtime; the value of
    // this field MUST be identical to that of the corresponding ContainerConfig".
    itId(
      'container-stats.reports-attributes-match-container',
      'reports attributes that match the container',
      async function () {
        const container = await measured.get();
        const { stats } = await cri().runtime.ContainerStats({ container_id: container.id });
        const attrs = stats?.attributes;
        expect(attrs?.id, 'ContainerStats.attributes.id').to.equal(container.id);
        expect(attrs?.metadata, 'ContainerStats.attributes.metadata').to.deep.equal({
          name: container.config.metadata?.name,
          attempt: 2,
        });
        expect(attrs?.labels, 'ContainerStats.attributes.labels').to.include(container.config.labels);
        expect(attrs?.annotations, 'ContainerStats.attributes.annotations').to.deep.equal(container.config.annotations);
      },
    );

    // api.proto CpuUsage.usage_core_nano_seconds: "Cumulative CPU usage (sum across all cores)
    // since object creation"; timestamp: "Must be > 0".
    itId(
      'container-stats.reports-cumulative-cpu-usage-grows',
      'reports cumulative cpu usage that grows while the container is busy',
      async function () {
        const container = await scope.runContainer(
          await workerPod.get(),
          'stats-cpu',
          withShell('while :; do :; done'),
        );
        const { stats } = await cri().runtime.ContainerStats({ container_id: container.id });
        const first = uint64(stats?.cpu?.usage_core_nano_seconds);
        expect(first, `ContainerStats.cpu.usage_core_nano_seconds (cpu: ${JSON.stringify(stats?.cpu)})`).to.be.a(
          'bigint',
        );
        expect(nanos(stats?.cpu?.timestamp) > 0n, `ContainerStats.cpu.timestamp ${stats?.cpu?.timestamp} > 0`).to.equal(
          true,
        );
        await eventually(
          `ContainerStats.cpu.usage_core_nano_seconds of a busy container to grow past ${first}`,
          async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.cpu,
          (cpu) => (uint64(cpu?.usage_core_nano_seconds) ?? 0n) > first!,
          { timeout: 30_000, stopOn: isRuntimeAnswer },
        );
      },
    );

    // api.proto MemoryUsage.working_set_bytes: "The amount of working set memory in bytes".
    itId(
      'container-stats.reports-memory-working-set-above',
      'reports a memory working set above zero',
      async function () {
        const container = await measured.get();
        const memory = await eventually(
          'ContainerStats.memory.working_set_bytes to be reported',
          async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.memory,
          (m) => uint64(m?.working_set_bytes) !== undefined,
          { timeout: 30_000, stopOn: isRuntimeAnswer },
        );
        expect(
          uint64(memory?.working_set_bytes)! > 0n,
          `ContainerStats.memory.working_set_bytes ${memory?.working_set_bytes?.value} > 0`,
        ).to.equal(true);
        expect(nanos(memory?.timestamp) > 0n, `ContainerStats.memory.timestamp ${memory?.timestamp} > 0`).to.equal(
          true,
        );
      },
    );

    // api.proto ContainerStats: "If the container does not exist, the call returns an error."
    itId(
      'container-stats.returns-error-unknown-container-id',
      'returns an error for an unknown container id',
      async function () {
        await expectRefusal(
          cri().runtime.ContainerStats({ container_id: unknownId() }),
          'ContainerStats of an unknown container id',
        );
      },
    );
  });

  rpc('ListContainerStats', function () {
    // One set for the filter tests, none of which changes it: a pod of its own with running
    // containers a (label crit-select=<value>) and b (crit-select=<value>-not), and the measured
    // container in the other pod.
    let select: string | undefined;
    const selectValue = (): string => (select ??= uniqueName('sel'));
    const withSelect =
      (suffix: string): ContainerOpt =>
      (c) =>
        withContainerLabels({ 'crit-select': `${selectValue()}${suffix}` })(c);
    const filtered = shared(podOf('stats-by-pod'), podReady);
    const containerA = shared(runningIn(filtered, 'a', withSelect('')), containerRunning);
    const containerB = shared(runningIn(filtered, 'b', withSelect('-not')), containerRunning);
    const fixture = async () => {
      const [pod, other, a, b] = await Promise.all([
        filtered.get(),
        workerPod.get(),
        containerA.get(),
        containerB.get(),
        measured.get(),
      ]);
      return { pod, other, a, b };
    };

    itId('list-container-stats.filters-container-id', 'filters by container id', async function () {
      const { a } = await fixture();
      const { stats } = await expectOk(
        cri().runtime.ListContainerStats({ filter: { id: a.id } }),
        'ListContainerStats by id',
      );
      expect(sortedIds(stats), 'ListContainerStats(filter.id).stats[].attributes.id').to.deep.equal([a.id]);
    });

    // api.proto ListContainerStats: "returns stats of all running containers".
    itId(
      'list-container-stats.filters-pod-sandbox-id-lists',
      'filters by pod_sandbox_id and lists each running container of the pod',
      async function () {
        const { pod, a, b } = await fixture();
        const mine = [a, b];
        const { stats } = await cri().runtime.ListContainerStats({ filter: { pod_sandbox_id: pod.id } });
        expect(sortedIds(stats), 'ListContainerStats(filter.pod_sandbox_id).stats[].attributes.id').to.deep.equal(
          mine.map((c) => c.id).sort(),
        );
      },
    );

    itId('list-container-stats.filters-label-selector', 'filters by label_selector', async function () {
      const { a } = await fixture();
      const value = a.config.labels!['crit-select'];
      const { stats } = await cri().runtime.ListContainerStats({
        filter: { label_selector: { 'crit-select': value } },
      });
      expect(
        sortedIds(stats),
        `ListContainerStats(label_selector crit-select=${value}).stats[].attributes.id`,
      ).to.deep.equal([a.id]);
    });

    // api.proto ListContainerStats: "returns stats of all running containers"; without a filter
    // that is every running container of the node, these of the suite among them (critest's
    // "listing stats for started containers when filter is nil").
    itId(
      'list-container-stats.lists-every-running-without-filter',
      'lists stats of every running container without a filter',
      async function () {
        const { a, b } = await fixture();
        const { stats } = await expectOk(cri().runtime.ListContainerStats({}), 'ListContainerStats without a filter');
        expect(sortedIds(stats), 'ListContainerStats().stats[].attributes.id').to.include.members([a.id, b.id].sort());
      },
    );

    // api.proto ContainerStatsFilter: "All those fields are combined with 'AND'".
    itId('list-container-stats.combines-filter-fields', 'combines filter fields with AND', async function () {
      const { pod, other, a } = await fixture();
      const { stats: both } = await cri().runtime.ListContainerStats({ filter: { id: a.id, pod_sandbox_id: pod.id } });
      expect(sortedIds(both), 'ListContainerStats(id and its own pod).stats[].attributes.id').to.deep.equal([a.id]);
      const { stats: none } = await cri().runtime.ListContainerStats({
        filter: { id: a.id, pod_sandbox_id: other.id },
      });
      expect(sortedIds(none), 'ListContainerStats(id and another pod).stats[].attributes.id').to.deep.equal([]);
    });
  });

  // Last in the file: runtimes collect writable layer usage periodically (containerd every
  // stats_collect_period), so the test waits for the first collection after the measured
  // container's write; by now one has usually come, while the tests above ran.
  rpc('ContainerStats', function () {
    // api.proto ContainerStats.writable_layer: "Usage of the writable layer".
    it('reports writable layer usage that includes a file the container wrote', async function () {
      const container = await measured.get();
      const layer = await eventually(
        'ContainerStats.writable_layer.used_bytes to reach 2 MiB after the container wrote a 2 MiB file',
        async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.writable_layer,
        (l) => (uint64(l?.used_bytes) ?? 0n) >= 2n * MiB,
        { timeout: 60_000, stopOn: isRuntimeAnswer },
      );
      expect(nanos(layer?.timestamp) > 0n, `ContainerStats.writable_layer.timestamp ${layer?.timestamp} > 0`).to.equal(
        true,
      );
    });
  });
});
