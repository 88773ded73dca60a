// The pod network: the IP a pod gets (PodSandboxStatus.network.ip), seen on the pod's own
// interfaces, and reachable with HTTP from the host and from another pod.
import { expect } from 'chai';
import { isIP } from 'node:net';
import {
  containerConfig,
  cri,
  ctx,
  eventually,
  httpGet,
  httpGetFromContainer,
  outputOf,
  perTest,
  podOf,
  requireLocalRuntime,
  rpc,
  runWebContainer,
  together,
  useScope,
  useWorkerPod,
} from '../src/framework/index.js';

describe('Networking', function () {
  const scope = useScope();

  // The pod of each RunPodSandbox test is its own (its RunPodSandbox the call under test),
  // running the web image; the tests reach it. The PodSandboxStatus test reads the worker pod's
  // address (which no other file changes) and the client of the pod-to-pod test runs there.
  const web = perTest(podOf('web'));
  const workerPod = useWorkerPod();

  rpc('PodSandboxStatus', function () {
    // api.proto PodSandboxNetworkStatus.ip: "IP address of the PodSandbox."
    it("reports the pod IP that the pod's network interface holds", async function () {
      const pod = await workerPod.get();
      const { id } = await scope.runContainer(pod, 'ip-reader');
      const { status } = await cri().runtime.PodSandboxStatus({ pod_sandbox_id: pod.id });
      const ip = status?.network?.ip ?? '';
      expect(isIP(ip), `PodSandboxStatus.network.ip ${JSON.stringify(ip)} is an IP address`).to.not.equal(0);
      const addrs = (await outputOf(id, 'ip -o addr')).split('\n').map((l) => l.split(/\s+/)[3]?.split('/')[0]);
      expect(addrs, '`ip -o addr` addresses in the pod').to.include(ip);
    });
  });

  rpc('RunPodSandbox', function () {
    /** The test's own web pod (RunPodSandbox under test), its server running: its IP. */
    async function webPodIp(): Promise<string> {
      return runWebContainer(scope, await web.get());
    }

    // api.proto PodSandboxNetworkStatus.ip: "IP address of the PodSandbox" (the address the pod is reached at).
    it('gives a pod an IP that the host reaches', async function () {
      requireLocalRuntime(this, 'HTTP from the host to the pod IP');
      const ip = await webPodIp();
      const answer = await eventually(
        `GET http://${ip}:80/ from the host`,
        () => httpGet(ip, 80),
        (a) => a.status === 200,
        { timeout: 30_000 },
      );
      expect(answer.body, `body of GET http://${ip}:80/ (the web image index)`).to.equal(ctx().images.webIndex);
    });

    it('gives a pod an IP that another pod reaches', async function () {
      const [ip, id] = await together([
        webPodIp(),
        (async () => (await scope.runContainer(await workerPod.get(), containerConfig('client'))).id)(),
      ]);
      expect(isIP(ip), `PodSandboxStatus.network.ip ${JSON.stringify(ip)}`).to.not.equal(0);
      const answer = await eventually(
        `GET http://${ip}:80/ from another pod`,
        () => httpGetFromContainer(id, ip, 80),
        (a) => a.status === 200,
        { timeout: 30_000 },
      );
      expect(answer.body, `body of GET http://${ip}:80/ from another pod`).to.equal(ctx().images.webIndex);
    });
  });
});
