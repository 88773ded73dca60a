// RuntimeService: StopPodSandbox and RemovePodSandbox, what they do to the sandbox's containers,
// their idempotence, and PodSandboxStatus of a sandbox that does not exist.
import { expect } from 'chai';
import { cri, expectCode, expectOk, itId, rpc, unknownId, useScope } from '../src/framework/index.js';

describe('PodSandbox', function () {
  const scope = useScope();

  rpc('StopPodSandbox', function () {
    // api.proto StopPodSandbox: "If there are any running containers in the sandbox, they must be
    // forcibly terminated."
    it('reports SANDBOX_NOTREADY and every container of the sandbox exited', async function () {
      const pod = await scope.runPod('stop-pod');
      const [a, b] = await Promise.all([
        scope.runContainer(pod, 'stop-pod-a'),
        scope.runContainer(pod, 'stop-pod-b', (c) => {
          c.command = ['sh', '-c', 'trap "" TERM; while :; do sleep 1; done'];
        }),
      ]);
      await cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id });
      const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id });
      expect(status?.state, 'PodSandboxStatus.state after StopPodSandbox').to.equal('SANDBOX_NOTREADY');
      for (const [name, c] of [
        ['a (exits on SIGTERM)', a],
        ['b (ignores SIGTERM)', b],
      ] as const) {
        const s = await cri().runtime.ContainerStatus({ container_id: c.id });
        expect(s.status?.state, `ContainerStatus.state of container ${name} after StopPodSandbox`).to.equal(
          'CONTAINER_EXITED',
        );
      }
    });

    // api.proto StopPodSandbox: "This call is idempotent, and must not return an error if all
    // relevant resources have already been reclaimed ... multiple StopPodSandbox calls are expected."
    it('accepts a second stop of a stopped sandbox', async function () {
      const pod = await scope.runPod('stop-twice');
      await expectOk(cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }), 'the first StopPodSandbox');
      await expectOk(
        cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }),
        'a second StopPodSandbox of the stopped sandbox',
      );
    });

    // api.proto StopPodSandbox: "This call is idempotent, and must not return an error if all
    // relevant resources have already been reclaimed."
    it('accepts a sandbox that was already removed', async function () {
      const pod = await scope.runPod('stop-removed');
      await cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }, { role: 'setup' });
      await cri().runtime.RemovePodSandbox({ pod_sandbox_id: pod.id }, { role: 'setup' });
      await expectOk(cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }), 'StopPodSandbox of a removed sandbox');
    });

    // api.proto StopPodSandbox: "This call is idempotent, and must not return an error if all
    // relevant resources have already been reclaimed." (nothing was ever allocated for this id)
    itId('stop-pod-sandbox.accepts-id-never-existed', 'accepts an id that never existed', async function () {
      await expectOk(cri().runtime.StopPodSandbox({ pod_sandbox_id: unknownId() }), 'StopPodSandbox of an unknown id');
    });
  });

  rpc('RemovePodSandbox', function () {
    // api.proto RemovePodSandbox: "If there are any running containers in the sandbox, they must be
    // forcibly terminated and removed."
    it('removes the sandbox and its containers', async function () {
      const pod = await scope.runPod('remove-pod');
      const [running, created] = await Promise.all([
        scope.runContainer(pod, 'remove-pod-running'),
        scope.createContainer(pod, 'remove-pod-created'),
      ]);
      await cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }, { role: 'setup' });
      await cri().runtime.RemovePodSandbox({ pod_sandbox_id: pod.id });

      const { items } = await cri().runtime.ListPodSandbox({ filter: { id: pod.id } });
      expect(
        items.map((p) => p.id),
        'ListPodSandbox filtered by the removed id',
      ).to.deep.equal([]);
      const { containers } = await cri().runtime.ListContainers({ filter: { pod_sandbox_id: pod.id } });
      expect(
        containers.map((c) => c.id),
        'ListContainers of the removed sandbox',
      ).to.deep.equal([]);
      await expectCode(
        cri().runtime.ContainerStatus({ container_id: running.id }),
        'NOT_FOUND',
        'ContainerStatus of a container of the removed sandbox',
      );
      await expectCode(
        cri().runtime.ContainerStatus({ container_id: created.id }),
        'NOT_FOUND',
        'ContainerStatus of a created container of the removed sandbox',
      );
    });

    // api.proto RemovePodSandbox: "If there are any running containers in the sandbox, they must be
    // forcibly terminated and removed." (no StopPodSandbox first)
    it('removes a ready sandbox with a running container without a stop first', async function () {
      const pod = await scope.runPod('remove-ready');
      const c = await scope.runContainer(pod, 'remove-ready-c');
      await cri().runtime.RemovePodSandbox({ pod_sandbox_id: pod.id });
      await expectCode(
        cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id }),
        'NOT_FOUND',
        'PodSandboxStatus of the removed sandbox',
      );
      await expectCode(
        cri().runtime.ContainerStatus({ container_id: c.id }),
        'NOT_FOUND',
        'ContainerStatus of its container',
      );
    });

    // api.proto RemovePodSandbox: "This call is idempotent, and must not return an error if the
    // sandbox has already been removed."
    itId(
      'remove-pod-sandbox.accepts-sandbox-already-removed',
      'accepts a sandbox that was already removed',
      async function () {
        const pod = await scope.runPod('remove-twice');
        await cri().runtime.StopPodSandbox({ pod_sandbox_id: pod.id }, { role: 'setup' });
        await expectOk(cri().runtime.RemovePodSandbox({ pod_sandbox_id: pod.id }), 'the first RemovePodSandbox');
        await expectOk(cri().runtime.RemovePodSandbox({ pod_sandbox_id: pod.id }), 'a second RemovePodSandbox');
      },
    );

    // api.proto RemovePodSandbox: "This call is idempotent, and must not return an error if the
    // sandbox has already been removed." (an id that never existed is as removed as it gets)
    it('accepts an id that never existed', async function () {
      await expectOk(
        cri().runtime.RemovePodSandbox({ pod_sandbox_id: unknownId() }),
        'RemovePodSandbox of an unknown id',
      );
    });
  });

  rpc('PodSandboxStatus', function () {
    // api.proto PodSandboxStatus: "If the PodSandbox is not present, returns an error." kubelet
    // tells a missing sandbox from other failures by the gRPC code NotFound.
    it('returns NOT_FOUND for an unknown sandbox id', async function () {
      await expectCode(
        cri().runtime.PodSandboxStatus({ pod_sandbox_id: unknownId() }),
        'NOT_FOUND',
        'PodSandboxStatus of an unknown id',
      );
    });
  });
});
