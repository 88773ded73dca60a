// RuntimeService pod sandbox lifecycle: RunPodSandbox, PodSandboxStatus, StopPodSandbox, RemovePodSandbox.
import { expect } from 'chai';
import { cri, ctx, expectCode, podConfig, rpc, useScope } from '../src/framework/index.js';

describe('PodSandbox', function () {
  const scope = useScope();

  rpc('RunPodSandbox', function () {
    // api.proto RunPodSandbox: "If the call succeeds, the sandbox is in ready state";
    // StopPodSandbox: "Stop... the sandbox"; RemovePodSandbox: "Removes the sandbox".
    it('runs a ready sandbox that stops to NOTREADY and is removed', async function () {
      const config = podConfig('round-trip');
      const { pod_sandbox_id: id } = await cri().runtime.RunPodSandbox({ config, runtime_handler: ctx().runtimeHandler });
      scope.trackPod(id);
      expect(id, 'RunPodSandboxResponse.pod_sandbox_id').to.be.a('string').and.not.equal('');

      const ready = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: id });
      expect(ready.status?.id, 'PodSandboxStatus.id').to.equal(id);
      expect(ready.status?.state, 'PodSandboxStatus.state after RunPodSandbox').to.equal('SANDBOX_READY');

      await cri().runtime.StopPodSandbox({ pod_sandbox_id: id });
      const stopped = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: id });
      expect(stopped.status?.state, 'PodSandboxStatus.state after StopPodSandbox').to.equal('SANDBOX_NOTREADY');

      await cri().runtime.RemovePodSandbox({ pod_sandbox_id: id });
      await expectCode(cri().runtime.PodSandboxStatus({ pod_sandbox_id: id }), 'NOT_FOUND', 'PodSandboxStatus of a removed sandbox');
    });
  });
});
