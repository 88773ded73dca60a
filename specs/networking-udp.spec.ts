// PodSandboxConfig.port_mappings with protocol UDP: a datagram sent from the host to
// 127.0.0.1:<hostPort> reaches the container's UDP echo server and its answer comes back; the
// same on the pod IP. The echo image runs socat on port 9999.
import { expect } from 'chai';
import {
  containerConfig,
  ctx,
  eventually,
  itId,
  pickHostPort,
  podStatus,
  requireLocalRuntime,
  rpc,
  runPodUnderTest,
  udpExchange,
  useScope,
  withImage,
  withImageDefaults,
  withPortMappings,
} from '../src/framework/index.js';

const ECHO_PORT = 9999;

/** Sends datagrams until one is echoed (the server may not be listening yet); returns the answer. */
function echoed(host: string, port: number, payload: string): Promise<string | undefined> {
  return eventually(
    `a UDP datagram to ${host}:${port} to be echoed`,
    () => udpExchange(host, port, payload, 500),
    (a) => a !== undefined,
    { timeout: 30_000 },
  );
}

describe('Networking', function () {
  const scope = useScope();

  beforeEach(function () {
    requireLocalRuntime(this, 'UDP from the host to 127.0.0.1 and the pod IP');
  });

  rpc('RunPodSandbox', { feature: 'config.port_mappings.protocol' }, function () {
    // api.proto PortMapping.protocol: "Protocol of the port mapping." (TCP, UDP or SCTP);
    // host_port: "Port number on the host to map the container port to."
    itId(
      'run-pod-sandbox.forwards-udp-host-port-127',
      'forwards a UDP host_port on 127.0.0.1 to the container_port',
      async function () {
        const hostPort = await pickHostPort();
        const pod = await runPodUnderTest(
          scope,
          'udp-host-port',
          withPortMappings({ protocol: 'UDP', container_port: ECHO_PORT, host_port: hostPort }),
        );
        await scope.runContainer(
          pod,
          containerConfig('udp-echo', withImage(ctx().images.udpEcho), withImageDefaults()),
        );
        const ip = (await podStatus(pod.id)).network?.ip ?? '';

        const viaPodIp = await echoed(ip, ECHO_PORT, `to the pod ip ${ip}`);
        expect(viaPodIp, `answer to a datagram sent to ${ip}:${ECHO_PORT} (the pod IP)`).to.equal(
          `to the pod ip ${ip}`,
        );
        const viaHostPort = await echoed('127.0.0.1', hostPort, `through host port ${hostPort}`);
        expect(
          viaHostPort,
          `answer to a datagram sent to 127.0.0.1:${hostPort} (UDP host_port ${hostPort} → container_port ${ECHO_PORT})`,
        ).to.equal(`through host port ${hostPort}`);
      },
    );
  });
});
