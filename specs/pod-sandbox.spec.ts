// RuntimeService pod sandbox lifecycle: RunPodSandbox and PodSandboxStatus of a new sandbox.
// Stop/Remove and their idempotence: pod-sandbox-lifecycle.spec.ts; ListPodSandbox: pod-sandbox-list.spec.ts.
import { isIP } from 'node:net';
import { expect } from 'chai';
import {
  cri,
  ctx,
  expectCode,
  expectError,
  itId,
  podConfig,
  podOf,
  rpc,
  secondsAgo,
  shared,
  uniqueName,
  useScope,
  withAnnotations,
  withLabels,
} from '../src/framework/index.js';

describe('PodSandbox', function () {
  const scope = useScope();

  rpc('RunPodSandbox', function () {
    // api.proto RunPodSandbox: "Runtimes must ensure the sandbox is in the ready state on success";
    // StopPodSandbox / RemovePodSandbox / PodSandboxStatus: "If the PodSandbox is not present, returns an error."
    itId(
      'run-pod-sandbox.runs-ready-sandbox-stops-notready',
      'runs a ready sandbox that stops to NOTREADY and is removed',
      async function () {
        const config = podConfig('round-trip');
        const { pod_sandbox_id: id } = await cri().runtime.RunPodSandbox({
          config,
          runtime_handler: ctx().runtimeHandler,
        });
        scope.trackPod(id);
        expect(id, 'RunPodSandboxResponse.pod_sandbox_id').to.be.a('string').and.not.equal('');

        const ready = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: id });
        expect(ready.status?.id, 'PodSandboxStatus.id').to.equal(id);
        expect(ready.status?.state, 'PodSandboxStatus.state after RunPodSandbox').to.equal('SANDBOX_READY');

        await cri().runtime.StopPodSandbox({ pod_sandbox_id: id });
        const stopped = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: id });
        expect(stopped.status?.state, 'PodSandboxStatus.state after StopPodSandbox').to.equal('SANDBOX_NOTREADY');

        await cri().runtime.RemovePodSandbox({ pod_sandbox_id: id });
        await expectCode(
          cri().runtime.PodSandboxStatus({ pod_sandbox_id: id }),
          'NOT_FOUND',
          'PodSandboxStatus of a removed sandbox',
        );
      },
    );

    // api.proto RunPodSandboxRequest.runtime_handler: "If the runtime handler is unknown, this
    // request should be rejected."
    itId(
      'run-pod-sandbox.rejects-unknown-runtime-handler-leaves',
      'rejects an unknown runtime handler and leaves no sandbox behind',
      async function () {
        const marker = { 'io.cri-conformance.test': uniqueName('bad-handler') };
        const config = podConfig('bad-handler', withLabels(marker));
        const handler = `crit-no-such-handler-${Date.now()}`;
        const run = cri()
          .runtime.RunPodSandbox({ config, runtime_handler: handler })
          .then((res) => {
            scope.trackPod(res.pod_sandbox_id);
            return res;
          });
        await expectError(run, `RunPodSandbox with runtime_handler ${handler}`);
        const { items } = await cri().runtime.ListPodSandbox({ filter: { label_selector: marker } });
        expect(
          items.map((p) => p.id),
          'ListPodSandbox items labelled like the rejected sandbox',
        ).to.deep.equal([]);
      },
      { feature: 'runtime_handler' },
    );
  });

  rpc('PodSandboxStatus', function () {
    const labels = { 'crit-app': 'status', 'crit-tier': 'one' };
    const annotations = {
      'crit.example/note': 'kept exactly',
      'crit.example/empty': '',
      'crit.example/json': '{"a":[1,2]}',
    };
    // These tests each read other fields of the status of one ready pod on the pod network: one
    // pod for all of them, run on first use and removed after the last. No test changes it; it is
    // reused without a state check, because its state is what the first test checks.
    const statusPod = shared(podOf('status', withLabels(labels), withAnnotations(annotations)));

    // api.proto PodSandboxStatus.created_at: "Creation timestamp of the sandbox in nanoseconds. Must be > 0."
    it('reports SANDBOX_READY and a created_at within the last minute', async function () {
      const pod = await statusPod.get();
      const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id });
      expect(status?.id, 'PodSandboxStatus.id').to.equal(pod.id);
      expect(status?.state, 'PodSandboxStatus.state').to.equal('SANDBOX_READY');
      const age = secondsAgo(status?.created_at);
      expect(age, `PodSandboxStatus.created_at ${status?.created_at} as seconds before now`).to.be.within(-5, 60);
    });

    // api.proto PodSandboxStatus.annotations: "Annotations MUST NOT be altered by the runtime; the
    // value of this field MUST be identical to that of the corresponding PodSandboxConfig".
    itId(
      'pod-sandbox-status.returns-metadata-labels-annotations-exactly',
      'returns metadata, labels and annotations exactly as sent',
      async function () {
        const pod = await statusPod.get();
        const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id });
        const sent = pod.config.metadata!;
        expect(status?.metadata, 'PodSandboxStatus.metadata').to.deep.equal({
          name: sent.name,
          uid: sent.uid,
          namespace: sent.namespace,
          attempt: sent.attempt,
        });
        expect(status?.labels, 'PodSandboxStatus.labels').to.deep.equal(pod.config.labels);
        expect(status?.annotations, 'PodSandboxStatus.annotations').to.deep.equal(pod.config.annotations);
      },
    );

    // api.proto PodSandboxNetworkStatus.ip: "IP address of the PodSandbox." (set when the runtime
    // handles the pod network; the pod here is on the pod network, not the host's).
    itId(
      'pod-sandbox-status.reports-pod-ip-sandbox-pod',
      'reports a pod IP for a sandbox on the pod network',
      async function () {
        const pod = await statusPod.get();
        const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id });
        const ip = status?.network?.ip ?? '';
        expect(isIP(ip), `PodSandboxStatus.network.ip ${JSON.stringify(ip)} is an IPv4/IPv6 address`).to.be.oneOf([
          4, 6,
        ]);
      },
    );

    // api.proto PodSandboxStatusResponse.info: "extra information of the PodSandbox ... It should
    // only be returned non-empty when Verbose is true."
    itId(
      'pod-sandbox-status.returns-debug-info-verbose-none-otherwise',
      'returns debug info when verbose and none otherwise',
      async function () {
        const pod = await statusPod.get();
        const verbose = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id, verbose: true });
        expect(
          Object.keys(verbose.info),
          'PodSandboxStatusResponse.info keys with verbose=true',
        ).to.have.length.greaterThan(0);
        const plain = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id, verbose: false });
        expect(plain.info, 'PodSandboxStatusResponse.info with verbose=false').to.deep.equal({});
      },
      { feature: 'verbose' },
    );
  });
});
