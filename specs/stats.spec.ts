// RuntimeService container stats: ContainerStats and ListContainerStats (both required: kubelet's
// CRI stats provider calls them).
import { expect } from 'chai';
import {
  cri, eventually, expectOk, expectRefusal, rpc, uniqueName, unknownId, useScope, useSharedPod,
  withAttempt, withContainerAnnotations, withContainerLabels, withShell,
} from '../src/framework/index.js';
import { containerStatsOf, isRuntimeAnswer, nanos, sortedIds, uint64 } from '../src/framework/stats.js';

const MiB = 1024n * 1024n;

describe('Stats', function () {
  const scope = useScope();
  // The pod of the tests that look at a container's own stats or filter by its id or labels. The
  // tests that filter by pod_sandbox_id run their own pod (and this one is their other pod).
  const shared = useSharedPod('stats');

  rpc('ContainerStats', function () {
    // api.proto ContainerAttributes: "Annotations MUST NOT be altered by the runtime; the value of
    // this field MUST be identical to that of the corresponding ContainerConfig".
    it('reports attributes that match the container', async function () {
      const container = await scope.runContainer(await shared.get(), 'stats-attrs', withAttempt(2), withContainerLabels({ 'crit-key': 'crit-value' }), withContainerAnnotations({ 'crit-note': 'kept as given' }));
      const { stats } = await cri().runtime.ContainerStats({ container_id: container.id });
      const attrs = stats?.attributes;
      expect(attrs?.id, 'ContainerStats.attributes.id').to.equal(container.id);
      expect(attrs?.metadata, 'ContainerStats.attributes.metadata').to.deep.equal({ name: container.config.metadata?.name, attempt: 2 });
      expect(attrs?.labels, 'ContainerStats.attributes.labels').to.include(container.config.labels);
      expect(attrs?.annotations, 'ContainerStats.attributes.annotations').to.deep.equal(container.config.annotations);
    });

    // api.proto CpuUsage.usage_core_nano_seconds: "Cumulative CPU usage (sum across all cores)
    // since object creation"; timestamp: "Must be > 0".
    it('reports cumulative cpu usage that grows while the container is busy', async function () {
      const container = await scope.runContainer(await shared.get(), 'stats-cpu', withShell('while :; do :; done'));
      const { stats } = await cri().runtime.ContainerStats({ container_id: container.id });
      const first = uint64(stats?.cpu?.usage_core_nano_seconds);
      expect(first, `ContainerStats.cpu.usage_core_nano_seconds (cpu: ${JSON.stringify(stats?.cpu)})`).to.be.a('bigint');
      expect(nanos(stats?.cpu?.timestamp) > 0n, `ContainerStats.cpu.timestamp ${stats?.cpu?.timestamp} > 0`).to.equal(true);
      await eventually(
        `ContainerStats.cpu.usage_core_nano_seconds of a busy container to grow past ${first}`,
        async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.cpu,
        (cpu) => (uint64(cpu?.usage_core_nano_seconds) ?? 0n) > first!,
        { timeout: 30_000, stopOn: isRuntimeAnswer },
      );
    });

    // api.proto MemoryUsage.working_set_bytes: "The amount of working set memory in bytes".
    it('reports a memory working set above zero', async function () {
      const container = await scope.runContainer(await shared.get(), 'stats-memory');
      const memory = await eventually(
        'ContainerStats.memory.working_set_bytes to be reported',
        async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.memory,
        (m) => uint64(m?.working_set_bytes) !== undefined,
        { timeout: 30_000, stopOn: isRuntimeAnswer },
      );
      expect(uint64(memory?.working_set_bytes)! > 0n, `ContainerStats.memory.working_set_bytes ${memory?.working_set_bytes?.value} > 0`).to.equal(true);
      expect(nanos(memory?.timestamp) > 0n, `ContainerStats.memory.timestamp ${memory?.timestamp} > 0`).to.equal(true);
    });

    // api.proto ContainerStats.writable_layer: "Usage of the writable layer".
    it('reports writable layer usage that includes a file the container wrote', async function () {
      const container = await scope.runContainer(
        await shared.get(),
        'stats-layer',
        withShell('dd if=/dev/zero of=/crit-fill bs=1024 count=2048 && trap "exit 0" TERM; while :; do sleep 1; done'),
      );
      const layer = await eventually(
        'ContainerStats.writable_layer.used_bytes to reach 2 MiB after the container wrote a 2 MiB file',
        async () => (await cri().runtime.ContainerStats({ container_id: container.id })).stats?.writable_layer,
        (l) => (uint64(l?.used_bytes) ?? 0n) >= 2n * MiB,
        { timeout: 60_000, stopOn: isRuntimeAnswer },
      );
      expect(nanos(layer?.timestamp) > 0n, `ContainerStats.writable_layer.timestamp ${layer?.timestamp} > 0`).to.equal(true);
    });

    // api.proto ContainerStats: "If the container does not exist, the call returns an error."
    it('returns an error for an unknown container id', async function () {
      await expectRefusal(cri().runtime.ContainerStats({ container_id: unknownId() }), 'ContainerStats of an unknown container id');
    });
  });

  rpc('ListContainerStats', function () {
    it('filters by container id', async function () {
      const pod = await shared.get();
      const a = await scope.runContainer(pod, 'a');
      await scope.runContainer(pod, 'b');
      const { stats } = await expectOk(cri().runtime.ListContainerStats({ filter: { id: a.id } }), 'ListContainerStats by id');
      expect(sortedIds(stats), 'ListContainerStats(filter.id).stats[].attributes.id').to.deep.equal([a.id]);
    });

    // api.proto ListContainerStats: "returns stats of all running containers".
    it('filters by pod_sandbox_id and lists each running container of the pod', async function () {
      const pod = await scope.runPod('stats-by-pod');
      const other = await shared.get();
      const mine = [await scope.runContainer(pod, 'a'), await scope.runContainer(pod, 'b')];
      await scope.runContainer(other, 'c');
      const { stats } = await cri().runtime.ListContainerStats({ filter: { pod_sandbox_id: pod.id } });
      expect(sortedIds(stats), 'ListContainerStats(filter.pod_sandbox_id).stats[].attributes.id').to.deep.equal(mine.map((c) => c.id).sort());
    });

    it('filters by label_selector', async function () {
      const value = uniqueName('sel');
      const pod = await shared.get();
      const a = await scope.runContainer(pod, 'a', withContainerLabels({ 'crit-select': value }));
      await scope.runContainer(pod, 'b', withContainerLabels({ 'crit-select': `${value}-not` }));
      const { stats } = await cri().runtime.ListContainerStats({ filter: { label_selector: { 'crit-select': value } } });
      expect(sortedIds(stats), `ListContainerStats(label_selector crit-select=${value}).stats[].attributes.id`).to.deep.equal([a.id]);
    });

    // api.proto ContainerStatsFilter: "All those fields are combined with 'AND'".
    it('combines filter fields with AND', async function () {
      const pod = await scope.runPod('stats-and');
      const other = await shared.get();
      const a = await scope.runContainer(pod, 'a');
      const { stats: both } = await cri().runtime.ListContainerStats({ filter: { id: a.id, pod_sandbox_id: pod.id } });
      expect(sortedIds(both), 'ListContainerStats(id and its own pod).stats[].attributes.id').to.deep.equal([a.id]);
      const { stats: none } = await cri().runtime.ListContainerStats({ filter: { id: a.id, pod_sandbox_id: other.id } });
      expect(sortedIds(none), 'ListContainerStats(id and another pod).stats[].attributes.id').to.deep.equal([]);
    });
  });
});
