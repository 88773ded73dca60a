// RuntimeService StopContainer (grace period, SIGKILL after it, stop signal, idempotence) and
// RemoveContainer (created, running, exited; idempotence). The timing checks are behaviour
// windows with wide margins (did the runtime wait for the grace period, did it kill after it),
// not speed measurements.
import { expect } from 'chai';
import {
  cri,
  expectCode,
  expectOk,
  itId,
  requireReported,
  rpc,
  signalReady,
  unknownId,
  useScope,
  useWorkerPod,
  waitForContainerState,
  waitForReadyMarker,
  withShell,
} from '../src/framework/index.js';

const LOOP = 'while :; do sleep 1; done';
const IGNORES_TERM = `trap "" TERM; ${signalReady()}; ${LOOP}`;
// Like the default container's script, it exits 0 at once on SIGTERM.
const EXITS_ON_TERM = `trap "exit 0" TERM; ${signalReady()}; while :; do sleep 3600 & wait $!; done`;

async function timed(call: Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call;
  return (performance.now() - started) / 1000;
}

describe('Container', function () {
  const scope = useScope();
  // Stopping or removing a container touches only that container: every test's containers run in
  // the describe's pod.
  const workerPod = useWorkerPod();

  rpc('StopContainer', function () {
    // api.proto StopContainer: "stops a running container with a grace period (i.e., timeout)".
    // The default container exits 0 from its SIGTERM trap, so exit code 0 shows it got SIGTERM
    // and was not killed.
    itId(
      'stop-container.stops-process-exits-sigterm-well',
      'stops a process that exits on SIGTERM well within the timeout',
      async function () {
        const container = await scope.runContainer(await workerPod.get(), 'stop-term', withShell(EXITS_ON_TERM));
        await waitForReadyMarker(container.id);
        const seconds = await timed(cri().runtime.StopContainer({ container_id: container.id, timeout: 60 }));
        expect(seconds, 'seconds StopContainer (timeout 60) took for a process that exits on SIGTERM').to.be.below(30);
        const status = await waitForContainerState(container.id, 'CONTAINER_EXITED', { timeout: 10_000 });
        expect(status.exit_code, 'ContainerStatus.exit_code (0 = left through its SIGTERM handler)').to.equal(0);
      },
    );

    // api.proto StopContainer: "The runtime must forcibly kill the container after the grace
    // period is reached." StopContainerRequest.timeout: "Timeout in seconds to wait for the
    // container to stop before forcibly terminating it."
    itId(
      'stop-container.kills-process-ignores-sigterm-once-timeout',
      'kills a process that ignores SIGTERM once the timeout has passed',
      async function () {
        const pod = await workerPod.get();
        const c = await scope.runContainer(pod, 'stop-kill', withShell(IGNORES_TERM));
        await waitForReadyMarker(c.id);
        const seconds = await timed(cri().runtime.StopContainer({ container_id: c.id, timeout: 1 }));
        expect(seconds, 'seconds StopContainer (timeout 1) took for a process that ignores SIGTERM').to.be.within(
          0.75,
          1 + 20,
        );
        const status = await waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 10_000 });
        expect(status.exit_code, 'ContainerStatus.exit_code of the killed process (128 + SIGKILL)').to.equal(137);
      },
      { feature: 'timeout' },
    );

    // api.proto StopContainerRequest.timeout: "Default: 0 (forcibly terminate the container immediately)".
    it('kills at once with timeout 0', async function () {
      const pod = await workerPod.get();
      const c = await scope.runContainer(pod, 'stop-zero', withShell(IGNORES_TERM));
      await waitForReadyMarker(c.id);
      const seconds = await timed(cri().runtime.StopContainer({ container_id: c.id, timeout: 0 }));
      expect(seconds, 'seconds StopContainer (timeout 0) took for a process that ignores SIGTERM').to.be.below(15);
      const status = await waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 10_000 });
      expect(status.exit_code, 'ContainerStatus.exit_code of the killed process (128 + SIGKILL)').to.equal(137);
    });

    // api.proto ContainerConfig.stop_signal / ContainerStatus.stop_signal: "Returns the stop signal
    // used by the container runtime to terminate the container". A runtime that reports
    // RUNTIME_DEFAULT for a configured signal does not support the field.
    it('sends the configured stop_signal instead of SIGTERM [optional]', async function () {
      const pod = await workerPod.get();
      const c = await scope.runContainer(
        pod,
        'stop-signal',
        withShell(`trap "exit 42" USR1; trap "" TERM; ${signalReady()}; ${LOOP}`),
        (cfg) => {
          cfg.stop_signal = 'SIGUSR1';
        },
      );
      await waitForReadyMarker(c.id);
      const before = (await cri().runtime.ContainerStatus({ container_id: c.id })).status!;
      const what = 'ContainerStatus.stop_signal is RUNTIME_DEFAULT for a container created with stop_signal SIGUSR1';
      requireReported(this, 'ContainerStatus.stop_signal', before.stop_signal !== 'RUNTIME_DEFAULT', what);
      expect(before.stop_signal, 'ContainerStatus.stop_signal').to.equal('SIGUSR1');
      await cri().runtime.StopContainer({ container_id: c.id, timeout: 30 });
      const status = await waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 10_000 });
      expect(status.exit_code, 'ContainerStatus.exit_code (42 = left through its SIGUSR1 handler)').to.equal(42);
    });

    // api.proto StopContainer: "This call is idempotent, and must not return an error if the
    // container has already been stopped."
    it('accepts a container that is already stopped', async function () {
      const container = await scope.runContainer(await workerPod.get(), 'stop-twice');
      await expectOk(
        cri().runtime.StopContainer({ container_id: container.id, timeout: 10 }),
        'the first StopContainer',
      );
      await expectOk(
        cri().runtime.StopContainer({ container_id: container.id, timeout: 10 }),
        'a second StopContainer',
      );
    });

    // api.proto StopContainer: "This call is idempotent, and must not return an error if the
    // container has already been stopped." A container that does not exist is stopped.
    it('accepts an id that never existed', async function () {
      await expectOk(
        cri().runtime.StopContainer({ container_id: unknownId(), timeout: 10 }),
        'StopContainer of an unknown id',
      );
    });
  });

  rpc('RemoveContainer', function () {
    // One container in each state, each made when its test asks for it.
    const inState = {
      created: async () => workerPod.scope.createContainer(await workerPod.get(), 'rm-created'),
      running: async () => workerPod.scope.runContainer(await workerPod.get(), 'rm-running'),
      exited: async () => {
        const c = await workerPod.scope.runContainer(await workerPod.get(), 'rm-exited', withShell('exit 0'));
        await waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 30_000 });
        return c;
      },
    };
    // api.proto RemoveContainer: "removes the container. If the container is running, the
    // container must be forcibly removed."
    for (const state of ['created', 'running', 'exited'] as const) {
      itId(`remove-container.removes-${state}-container`, `removes a ${state} container`, async function () {
        const c = await inState[state]();
        await cri().runtime.RemoveContainer({ container_id: c.id });
        await expectCode(
          cri().runtime.ContainerStatus({ container_id: c.id }),
          'NOT_FOUND',
          `ContainerStatus of the removed ${state} container`,
        );
        const { containers } = await cri().runtime.ListContainers({ filter: { id: c.id } });
        expect(
          containers.map((x) => x.id),
          `ListContainers filtered by the removed ${state} container's id`,
        ).to.deep.equal([]);
      });
    }

    // api.proto RemoveContainer: "This call is idempotent, and must not return an error if the
    // container has already been removed."
    it('accepts a container that was already removed', async function () {
      const c = await scope.createContainer(await workerPod.get(), 'rm-twice');
      await expectOk(cri().runtime.RemoveContainer({ container_id: c.id }), 'the first RemoveContainer');
      await expectOk(cri().runtime.RemoveContainer({ container_id: c.id }), 'a second RemoveContainer');
    });

    itId('remove-container.accepts-id-never-existed', 'accepts an id that never existed', async function () {
      await expectOk(cri().runtime.RemoveContainer({ container_id: unknownId() }), 'RemoveContainer of an unknown id');
    });
  });
});
