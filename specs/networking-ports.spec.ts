// PodSandboxConfig.port_mappings and host-network pods: the web image reached from the host on
// 127.0.0.1:<hostPort> and on the pod IP. Host ports are random in 20000-29999 and checked free.
import { expect } from 'chai';
import { networkInterfaces } from 'node:os';
import {
  containerConfig,
  ctx,
  eventually,
  type HttpAnswer,
  httpGet,
  itId,
  outputOf,
  perTest,
  pickHostPort,
  podOf,
  requireLocalRuntime,
  rpc,
  runPodUnderTest,
  runWebContainer,
  useScope,
  withCommand,
  withHostNetwork,
  withPodNamespaces,
  withPortMappings,
} from '../src/framework/index.js';

/** Polls GET http://host:port/ until it answers 200; returns that answer. */
function webAnswer(host: string, port: number): Promise<HttpAnswer> {
  return eventually(
    `GET http://${host}:${port}/ from the host to answer 200`,
    () => httpGet(host, port),
    (a) => a.status === 200,
    { timeout: 30_000 },
  );
}

describe('Networking', function () {
  const scope = useScope();

  beforeEach(function () {
    requireLocalRuntime(this, 'HTTP from the host to 127.0.0.1 and the pod IP');
  });

  rpc('RunPodSandbox', { feature: 'config.port_mappings' }, function () {
    // api.proto PortMapping: container_port "Port number within the container", host_port "Port
    // number on the host to map the container port to."
    itId(
      'run-pod-sandbox.forwards-tcp-host-port-127',
      'forwards a TCP host_port on 127.0.0.1 to the container_port',
      async function () {
        const hostPort = await pickHostPort();
        const pod = await runPodUnderTest(
          scope,
          'host-port',
          withPortMappings({ protocol: 'TCP', container_port: 80, host_port: hostPort }),
        );
        const ip = await runWebContainer(scope, pod);
        const viaHostPort = await webAnswer('127.0.0.1', hostPort);
        expect(
          viaHostPort.body,
          `body of GET http://127.0.0.1:${hostPort}/ (host_port ${hostPort} → container_port 80)`,
        ).to.equal(ctx().images.webIndex);
        const viaPodIp = await webAnswer(ip, 80);
        expect(viaPodIp.body, `body of GET http://${ip}:80/ (the pod IP)`).to.equal(ctx().images.webIndex);
      },
    );

    // api.proto PortMapping.host_ip: "Host IP."
    it('forwards a host_port bound to host_ip 127.0.0.1', async function () {
      const hostPort = await pickHostPort();
      const pod = await runPodUnderTest(
        scope,
        'host-ip',
        withPortMappings({ protocol: 'TCP', container_port: 80, host_port: hostPort, host_ip: '127.0.0.1' }),
      );
      await runWebContainer(scope, pod);
      const answer = await webAnswer('127.0.0.1', hostPort);
      expect(answer.body, `body of GET http://127.0.0.1:${hostPort}/ (host_ip 127.0.0.1)`).to.equal(
        ctx().images.webIndex,
      );
    });

    // api.proto PortMapping.host_port: "Implementations MUST handle the case where this field is
    // explicitly set to 0"; "If omitted, container port will not be exposed on the host."
    it('runs a pod whose port mapping has a container_port only and serves it on the pod IP', async function () {
      const pod = await runPodUnderTest(
        scope,
        'container-port',
        withPortMappings({ protocol: 'TCP', container_port: 80, host_port: 0 }),
      );
      const ip = await runWebContainer(scope, pod);
      const answer = await webAnswer(ip, 80);
      expect(answer.body, `body of GET http://${ip}:80/ (container_port only)`).to.equal(ctx().images.webIndex);
    });

    // Each host-network test runs its own host-network pod (its RunPodSandbox the call under test).
    const hostNet = perTest(podOf('host-net', withHostNetwork()));

    // api.proto NamespaceMode NODE: "A NODE namespace is the namespace of the Kubernetes node."
    itId(
      'run-pod-sandbox.shows-node-s-network-interfaces',
      "shows the node's network interfaces to a host-network pod [linux]",
      async function () {
        const pod = await hostNet.get();
        const { id } = await scope.runContainer(pod, containerConfig('host-net-ifaces', withPodNamespaces(pod)));
        const inside = (await outputOf(id, 'ip -o link')).split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]);
        const missing = Object.keys(networkInterfaces()).filter((name) => !inside.includes(name));
        expect(missing, 'host interfaces missing from `ip -o link` in a host-network container').to.deep.equal([]);
      },
      { feature: 'config.linux.security_context.namespace_options.network' },
    );

    itId(
      'run-pod-sandbox.lets-host-network-pod-serve-host',
      'lets a host-network pod serve on a host port [linux]',
      async function () {
        const port = await pickHostPort();
        const pod = await hostNet.get();
        await runWebContainer(
          scope,
          pod,
          withPodNamespaces(pod),
          withCommand('httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www'),
        );
        const answer = await webAnswer('127.0.0.1', port);
        expect(answer.body, `body of GET http://127.0.0.1:${port}/ served from a host-network pod`).to.equal(
          ctx().images.webIndex,
        );
      },
      { feature: 'config.linux.security_context.namespace_options.network' },
    );
  });
});
