// PortForward over the runtime's streaming server, once per streaming protocol. api.proto:1667-1672
// (PortForwardRequest): pod_sandbox_id, port. Over WebSocket the ports are fixed by the request
// (one connection per listed port); over SPDY each connection names its port, so kubelet sends
// the port list empty.
// The tests only make GETs, so they share two web servers: one in the worker's default pod (port
// 80, and a port nothing listens on) and one in a host-network pod (a random high port).
import { expect } from 'chai';
import {
  claimWorkerPort,
  type ContainerOpt,
  containerRunning,
  cri,
  ctx,
  eventually,
  type ForwardResult,
  HTTP_GET,
  itId,
  openForward,
  overEachProtocol,
  type Pod,
  podOf,
  podReady,
  type PortForwardSession,
  rpc,
  runningIn,
  type Shared,
  shared,
  shellIn,
  streamingTimeoutMs,
  useScope,
  useWorkerPod,
  wholeHttpResponse,
  withCommand,
  withHostNetwork,
  withImage,
} from '../src/framework/index.js';

/** The web image's httpd, serving on 127.0.0.1:`port` only. */
function withHttpd(port: number): ContainerOpt {
  return (c) => {
    withImage(ctx().images.web)(c);
    withCommand('/bin/httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', '/www')(c);
  };
}

/** Waits until the httpd of container `id` answers on 127.0.0.1:`port` inside the pod. */
async function untilAnswers(id: string, port: number): Promise<void> {
  await eventually(
    `httpd in container ${id} to answer on 127.0.0.1:${port}`,
    () => shellIn(id, `wget -q -O - http://127.0.0.1:${port}/`),
    (r) => r.exitCode === 0,
    { timeout: streamingTimeoutMs() },
  );
}

/**
 * One forwarded connection to `port`: sends an HTTP/1.0 GET, half-closes the client's side as
 * kubectl does once its local reader ends (SPDY; the WebSocket channel protocol has no half-close),
 * and waits until the server ends the connection. Without the half-close a kubelet-style server
 * (containerd's) waits ~1 s for the client's direction before it ends a connection the pod closed.
 */
async function getThrough(session: PortForwardSession, port: number): Promise<ForwardResult> {
  const connection = await session.connect(port);
  connection.write(HTTP_GET);
  connection.end();
  return connection.done;
}

/**
 * Like getThrough, but done as soon as the whole HTTP response (its Content-Length) has arrived,
 * for the tests whose subject is not how a connection ends (getThrough's tests check that). Over
 * WebSocket, which has no half-close, the server holds a finished connection ~1 s otherwise.
 */
async function getPage(session: PortForwardSession, port: number): Promise<ForwardResult> {
  const connection = await session.connect(port);
  connection.write(HTTP_GET);
  connection.end();
  return connection.until(wholeHttpResponse);
}

function expectPage(data: Buffer, what: string): void {
  const text = data.toString('utf8');
  expect(text, `${what}: HTTP status line`).to.match(/^HTTP\/1\.[01] 200 /);
  expect(text, `${what}: body`).to.include(ctx().images.webIndex);
}

/** An httpd on `port` in `pod`: `get()` resolves to the pod id once the httpd answers in it. */
function useWebPod(slug: string, port: number, pod: Shared<Pod>): { get(): Promise<string> } {
  const web = shared(runningIn(pod, slug, withHttpd(port)), containerRunning);
  let answering: Promise<void> | undefined;
  return {
    async get() {
      const container = await web.get();
      if (!answering) {
        answering = untilAnswers(container.id, port);
        answering.catch(() => {
          answering = undefined;
        });
      }
      await answering;
      return container.podId;
    },
  };
}

describe('Streaming', function () {
  const scope = useScope();
  // Port 80 of the worker's default pod (8081 stays unused there: the test of a port nobody
  // listens on), and a random high port of a host-network pod of its own.
  claimWorkerPort('default', 80, 'streaming-port-forward');
  claimWorkerPort('default', 8081, 'streaming-port-forward');
  const webPod = useWebPod('pf-web', 80, useWorkerPod());
  const hostPort = 20000 + Math.floor(Math.random() * 30000);
  const hostWebPod = useWebPod('pf-host', hostPort, shared(podOf('pf-host', withHostNetwork()), podReady));

  rpc('PortForward', function () {
    overEachProtocol((protocol) => {
      itId(
        `port-forward.${protocol}.http-get-port-80`,
        'forwards an HTTP GET to port 80 listed in the request',
        async function () {
          const podId = await webPod.get();
          const { url } = await cri().runtime.PortForward({ pod_sandbox_id: podId, port: [80] });
          const session = await openForward(scope, protocol, url, [80]);
          const result = await getThrough(session, 80);
          expect(result.error, 'error stream of the forwarded connection').to.equal('');
          expectPage(result.data, 'GET / through the tunnel');
        },
      );

      it('carries two concurrent connections to port 80 in one session', async function () {
        const podId = await webPod.get();
        // WebSocket opens one connection per listed port, so the port is listed twice.
        const ports = protocol === 'websocket' ? [80, 80] : [80];
        const { url } = await cri().runtime.PortForward({ pod_sandbox_id: podId, port: ports });
        const session = await openForward(scope, protocol, url, ports);
        const [a, b] = await Promise.all([getPage(session, 80), getPage(session, 80)]);
        expectPage(a.data, 'first connection');
        expectPage(b.data, 'second connection');
      });

      it('reports an error on the error stream for a port nothing listens on', async function () {
        const podId = await webPod.get();
        const { url } = await cri().runtime.PortForward({ pod_sandbox_id: podId, port: [8081] });
        const session = await openForward(scope, protocol, url, [8081]);
        const result = await getThrough(session, 8081);
        expect(result.error, 'error stream of a connection to port 8081 (nothing listens)').to.not.equal('');
        expect(result.data.toString('utf8'), 'data from port 8081').to.equal('');
      });

      it('forwards to a port of a host-network pod', async function () {
        const podId = await hostWebPod.get();
        const { url } = await cri().runtime.PortForward({ pod_sandbox_id: podId, port: [hostPort] });
        const session = await openForward(scope, protocol, url, [hostPort]);
        const result = await getPage(session, hostPort);
        expect(result.error, 'error stream of the forwarded connection').to.equal('');
        expectPage(result.data, `GET / through the tunnel to host port ${hostPort}`);
      });
    });

    describe('over SPDY/3.1 only', function () {
      it('forwards to port 80 with the port list empty, as kubelet sends it', async function () {
        const podId = await webPod.get();
        const { url } = await cri().runtime.PortForward({ pod_sandbox_id: podId, port: [] });
        const session = await openForward(scope, 'spdy', url, []);
        const result = await getThrough(session, 80);
        expect(result.error, 'error stream of the forwarded connection').to.equal('');
        expectPage(result.data, 'GET / through the tunnel');
      });
    });
  });
});
