// RuntimeService UpdatePodSandboxResources (optional: InPlacePodVerticalScaling feature gate).
import { cri, expectOk, requireRpc, rpc, useScope } from '../src/framework/index.js';

describe('PodSandbox', function () {
  const scope = useScope();

  rpc('UpdatePodSandboxResources', { feature: 'resources' }, function () {
    // api.proto UpdatePodSandboxResources: "synchronously updates the PodSandboxConfig with the
    // pod-level resource configuration"; overhead "Optional overhead represents the overheads
    // associated with this sandbox"; resources "the sum of container resources for this sandbox".
    it('accepts new overhead and resources for a running pod [optional] [linux]', async function () {
      await requireRpc(this, 'UpdatePodSandboxResources');
      const pod = await scope.runPod('pod-resources');
      await scope.runContainer(pod, 'pod-resources');
      await expectOk(
        cri().runtime.UpdatePodSandboxResources({
          pod_sandbox_id: pod.id,
          overhead: {
            cpu_period: '100000',
            cpu_quota: '10000',
            cpu_shares: '102',
            memory_limit_in_bytes: String(64 * 1024 * 1024),
          },
          resources: {
            cpu_period: '100000',
            cpu_quota: '50000',
            cpu_shares: '512',
            memory_limit_in_bytes: String(256 * 1024 * 1024),
          },
        }),
        'UpdatePodSandboxResources of a running pod',
      );
    });
  });
});
