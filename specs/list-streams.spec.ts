// The CRIListStreaming RPCs: StreamPodSandboxes, StreamContainers, StreamContainerStats,
// StreamPodSandboxStats and StreamImages (all optional). api.proto, each of them: "an alternative
// to List… that streams results in lists of at least one item … The server must close the stream
// with EOF after all items have been sent." Every call has a deadline (STREAM_MS); a stream that
// does not end before it fails with DEADLINE_EXCEEDED.
import { expect } from 'chai';
import {
  byId,
  concatStreamed,
  cri,
  ctx,
  ensureImage,
  requireRpc,
  rpc,
  setup,
  uniqueName,
  useScope,
  withLabels,
  sortedIds,
} from '../src/framework/index.js';

const STREAM_MS = 30_000;
const podId = (p: { id: string }): string => p.id;
const statsId = (s: { attributes: { id: string } | null }): string => s.attributes?.id ?? '';

describe('List streaming', function () {
  const scope = useScope();

  rpc('StreamPodSandboxes', function () {
    it('streams the pods ListPodSandbox returns for the same filter, each once, then ends [optional]', async function () {
      await requireRpc(this, 'StreamPodSandboxes');
      const value = uniqueName('stream');
      await scope.runPod('stream-a', withLabels({ 'crit-select': value }));
      await scope.runPod('stream-b', withLabels({ 'crit-select': value }));
      const filter = { label_selector: { 'crit-select': value } };
      const responses = await cri().runtime.StreamPodSandboxes({ filter }, { timeoutMs: STREAM_MS }).collect();
      const streamed = concatStreamed('StreamPodSandboxes', responses, (r) => r.pod_sandboxes, podId);
      const { items } = await cri().runtime.ListPodSandbox({ filter }, { role: 'setup' });
      expect(items, `ListPodSandbox(crit-select=${value}).items`).to.have.length(2);
      expect(byId(streamed, podId), 'StreamPodSandboxes items, concatenated').to.deep.equal(byId(items, podId));
    });
  });

  rpc('StreamContainers', function () {
    it('streams the containers ListContainers returns for the same filter, each once, then ends [optional]', async function () {
      await requireRpc(this, 'StreamContainers');
      const pod = await scope.runPod('stream-ctrs');
      await scope.runContainer(pod, 'a');
      await scope.runContainer(pod, 'b');
      const filter = { pod_sandbox_id: pod.id };
      const responses = await cri().runtime.StreamContainers({ filter }, { timeoutMs: STREAM_MS }).collect();
      const streamed = concatStreamed('StreamContainers', responses, (r) => r.containers, podId);
      const { containers } = await cri().runtime.ListContainers({ filter }, { role: 'setup' });
      expect(containers, `ListContainers(pod_sandbox_id=${pod.id}).containers`).to.have.length(2);
      expect(byId(streamed, podId), 'StreamContainers items, concatenated').to.deep.equal(byId(containers, podId));
    });
  });

  rpc('StreamContainerStats', function () {
    it('streams stats of the containers ListContainerStats returns for the same filter, each once, then ends [optional]', async function () {
      await requireRpc(this, 'StreamContainerStats');
      const pod = await scope.runPod('stream-cstats');
      const mine = [await scope.runContainer(pod, 'a'), await scope.runContainer(pod, 'b')];
      const filter = { pod_sandbox_id: pod.id };
      const responses = await cri().runtime.StreamContainerStats({ filter }, { timeoutMs: STREAM_MS }).collect();
      const streamed = concatStreamed('StreamContainerStats', responses, (r) => r.container_stats, statsId);
      const { stats } = await cri().runtime.ListContainerStats({ filter }, { role: 'setup' });
      expect(sortedIds(streamed), 'StreamContainerStats attributes.id, concatenated').to.deep.equal(sortedIds(stats));
      expect(sortedIds(streamed), 'StreamContainerStats attributes.id of the pod containers').to.deep.equal(
        mine.map((c) => c.id).sort(),
      );
    });
  });

  rpc('StreamPodSandboxStats', function () {
    it('streams stats of the pods ListPodSandboxStats returns for the same filter, each once, then ends [optional]', async function () {
      await requireRpc(this, 'StreamPodSandboxStats');
      const value = uniqueName('stream');
      const pods = [
        await scope.runPod('stream-pstats-a', withLabels({ 'crit-select': value })),
        await scope.runPod('stream-pstats-b', withLabels({ 'crit-select': value })),
      ];
      const filter = { label_selector: { 'crit-select': value } };
      const responses = await cri().runtime.StreamPodSandboxStats({ filter }, { timeoutMs: STREAM_MS }).collect();
      const streamed = concatStreamed('StreamPodSandboxStats', responses, (r) => r.pod_sandbox_stats, statsId);
      const { stats } = await setup(
        'ListPodSandboxStats',
        cri().runtime.ListPodSandboxStats({ filter }, { role: 'setup' }),
      );
      expect(sortedIds(streamed), 'StreamPodSandboxStats attributes.id, concatenated').to.deep.equal(sortedIds(stats));
      expect(
        sortedIds(streamed),
        `StreamPodSandboxStats attributes.id of the pods labelled crit-select=${value}`,
      ).to.deep.equal(pods.map(podId).sort());
    });
  });

  rpc('StreamImages', function () {
    it('streams the images ListImages returns for the same filter, each once, then ends [optional]', async function () {
      await requireRpc(this, 'StreamImages');
      await setup('image', ensureImage(ctx().images.busybox));
      const filter = { image: { image: ctx().images.busybox } };
      const responses = await cri().image.StreamImages({ filter }, { timeoutMs: STREAM_MS }).collect();
      const streamed = concatStreamed('StreamImages', responses, (r) => r.images, podId);
      const { images } = await cri().image.ListImages({ filter }, { role: 'setup' });
      expect(images, `ListImages(filter ${ctx().images.busybox}).images`).to.have.length(1);
      expect(byId(streamed, podId), 'StreamImages items, concatenated').to.deep.equal(byId(images, podId));
    });
  });
});
