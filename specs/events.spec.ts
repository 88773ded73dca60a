// RuntimeService GetContainerEvents (optional: EventedPLEG feature gate).
import { expect } from 'chai';
import { cri, requireRpc, rpc, setup, useScope } from '../src/framework/index.js';
import type { ContainerEventResponse__Output } from '../src/generated/runtime/v1/ContainerEventResponse.js';

const LIFECYCLE = [
  'CONTAINER_CREATED_EVENT',
  'CONTAINER_STARTED_EVENT',
  'CONTAINER_STOPPED_EVENT',
  'CONTAINER_DELETED_EVENT',
];

describe('Events', function () {
  const scope = useScope();

  rpc('GetContainerEvents', function () {
    // api.proto ContainerEventResponse: container_id "ID of the container", container_event_type
    // "Type of the container event", created_at "Creation timestamp in nanoseconds of this event",
    // pod_sandbox_status "Sandbox status".
    it('streams a container created, started, stopped and deleted events in order [optional]', async function () {
      await requireRpc(this, 'GetContainerEvents');
      const stream = cri().runtime.GetContainerEvents({}, { timeoutMs: 120_000 });
      scope.defer('GetContainerEvents stream', async () => stream.cancel());
      const events: ContainerEventResponse__Output[] = [];
      let target = '';
      const reading = (async (): Promise<void> => {
        for await (const event of stream) {
          events.push(event);
          if (event.container_id === target && event.container_event_type === 'CONTAINER_DELETED_EVENT') return;
        }
      })().then(
        () => undefined,
        (err: unknown) => err,
      );

      const pod = await scope.runPod('events');
      const container = await scope.createContainer(pod, 'events');
      await setup('StartContainer', cri().runtime.StartContainer({ container_id: container.id }, { role: 'setup' }));
      await setup(
        'StopContainer',
        cri().runtime.StopContainer({ container_id: container.id, timeout: '10' }, { role: 'setup' }),
      );
      target = container.id;
      await setup('RemoveContainer', cri().runtime.RemoveContainer({ container_id: container.id }, { role: 'setup' }));
      const failure = await reading;
      const mine = events.filter((e) => e.container_id === container.id);
      const seen = JSON.stringify(mine.map((e) => e.container_event_type));
      const why = failure instanceof Error ? failure.message : String(failure);
      expect(
        failure,
        `GetContainerEvents stream failed before the deleted event of ${container.id} (${why}); saw ${seen}`,
      ).to.equal(undefined);

      expect(
        mine.map((e) => e.container_event_type),
        `event types for container ${container.id}`,
      ).to.deep.equal(LIFECYCLE);
      const stamps = mine.map((e) => BigInt(e.created_at));
      expect(
        stamps.every((t) => t > 0n),
        `ContainerEventResponse.created_at values ${stamps.join(', ')} > 0`,
      ).to.equal(true);
      expect(
        stamps.every((t, i) => i === 0 || t >= stamps[i - 1]),
        `ContainerEventResponse.created_at values ${stamps.join(', ')} in order`,
      ).to.equal(true);
      expect(
        mine.map((e) => e.pod_sandbox_status?.id),
        'ContainerEventResponse.pod_sandbox_status.id of each event',
      ).to.deep.equal(LIFECYCLE.map(() => pod.id));
    });
  });
});
