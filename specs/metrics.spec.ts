// RuntimeService pod metrics: ListMetricDescriptors, ListPodSandboxMetrics, StreamPodSandboxMetrics
// (optional: PodAndContainerStatsFromCRI; the stream also CRIListStreaming).
import { expect } from 'chai';
import { cri, findOne, requireRpc, rpc, useScope } from '../src/framework/index.js';

describe('Metrics', function () {
  const scope = useScope();

  rpc('ListMetricDescriptors', function () {
    // api.proto MetricDescriptor.name: "will be used as a unique identifier of this MetricDescriptor".
    it('describes metrics with a unique name and help text [optional]', async function () {
      await requireRpc(this, 'ListMetricDescriptors');
      const { descriptors } = await cri().runtime.ListMetricDescriptors({});
      expect(descriptors, 'ListMetricDescriptorsResponse.descriptors').to.have.length.greaterThan(0);
      const names = descriptors.map((d) => d.name);
      expect(
        names.filter((n) => n === ''),
        'MetricDescriptor.name values that are empty',
      ).to.deep.equal([]);
      expect(
        names.filter((n, i) => names.indexOf(n) !== i),
        'MetricDescriptor.name values listed twice',
      ).to.deep.equal([]);
      expect(
        descriptors.filter((d) => d.help === '').map((d) => d.name),
        'MetricDescriptor names without help',
      ).to.deep.equal([]);
    });
  });

  rpc('ListPodSandboxMetrics', function () {
    // api.proto Metric.name: "Name must match a name previously returned in a MetricDescriptors
    // call"; label_values: "The corresponding LabelValues to the LabelKeys defined in the MetricDescriptor".
    it('reports metrics of a running pod that each refer to a listed descriptor [optional]', async function () {
      await requireRpc(this, 'ListPodSandboxMetrics');
      await requireRpc(this, 'ListMetricDescriptors');
      const pod = await scope.runPod('metrics');
      await scope.runContainer(pod, 'metrics');
      const { descriptors } = await cri().runtime.ListMetricDescriptors({}, { role: 'setup' });
      const keys = new Map(descriptors.map((d) => [d.name, d.label_keys.length]));
      const { pod_metrics } = await cri().runtime.ListPodSandboxMetrics({});
      const mine = findOne(pod_metrics, (m) => m.pod_sandbox_id === pod.id, `PodSandboxMetrics for pod ${pod.id}`);
      const metrics = [...mine.metrics, ...mine.container_metrics.flatMap((c) => c.metrics)];
      expect(metrics, `PodSandboxMetrics of pod ${pod.id} (pod and container metrics)`).to.have.length.greaterThan(0);
      expect(
        metrics.filter((m) => !keys.has(m.name)).map((m) => m.name),
        'Metric names not among ListMetricDescriptors',
      ).to.deep.equal([]);
      const mismatched = metrics
        .filter((m) => keys.has(m.name) && m.label_values.length !== keys.get(m.name))
        .map((m) => m.name);
      expect(mismatched, 'Metrics whose label_values count differs from their descriptor label_keys').to.deep.equal([]);
    });
  });

  rpc('StreamPodSandboxMetrics', function () {
    // api.proto StreamPodSandboxMetrics: "streams results in lists of at least one item ... Each
    // item must appear in exactly one response ... The server must close the stream with EOF".
    it('streams each running pod once, in non-empty responses, then ends [optional]', async function () {
      await requireRpc(this, 'StreamPodSandboxMetrics');
      const pod = await scope.runPod('metrics-stream');
      await scope.runContainer(pod, 'metrics');
      const responses = await cri().runtime.StreamPodSandboxMetrics({}, { timeoutMs: 30_000 }).collect();
      expect(
        responses.map((r) => r.pod_sandbox_metrics.length).filter((n) => n === 0),
        'StreamPodSandboxMetrics responses without items',
      ).to.deep.equal([]);
      const ids = responses.flatMap((r) => r.pod_sandbox_metrics.map((m) => m.pod_sandbox_id));
      expect(
        ids.filter((id, i) => ids.indexOf(id) !== i),
        'pod_sandbox_id values streamed twice',
      ).to.deep.equal([]);
      expect(ids, 'streamed pod_sandbox_id values').to.include(pod.id);
    });

    it('streams the metric names ListPodSandboxMetrics lists for a pod [optional]', async function () {
      await requireRpc(this, 'StreamPodSandboxMetrics');
      await requireRpc(this, 'ListPodSandboxMetrics');
      const pod = await scope.runPod('metrics-same');
      await scope.runContainer(pod, 'metrics');
      const names = (m: {
        metrics: { name: string }[];
        container_metrics: { metrics: { name: string }[] }[];
      }): string[] =>
        [...new Set([...m.metrics, ...m.container_metrics.flatMap((c) => c.metrics)].map((x) => x.name))].sort();
      const listed = findOne(
        (await cri().runtime.ListPodSandboxMetrics({})).pod_metrics,
        (m) => m.pod_sandbox_id === pod.id,
        `listed metrics of pod ${pod.id}`,
      );
      const streamed = (await cri().runtime.StreamPodSandboxMetrics({}, { timeoutMs: 30_000 }).collect()).flatMap(
        (r) => r.pod_sandbox_metrics,
      );
      const mine = findOne(streamed, (m) => m.pod_sandbox_id === pod.id, `streamed metrics of pod ${pod.id}`);
      expect(names(mine), `metric names StreamPodSandboxMetrics reports for pod ${pod.id}`).to.deep.equal(
        names(listed),
      );
    });
  });
});
