// The URLs Exec, Attach and PortForward return. api.proto:1638-1641, 1663-1666, 1674-1677: each
// response carries the "Fully qualified URL" of the streaming server. A session id the server
// never issued must be refused with an HTTP error, over either protocol.
// The tests share one pod and one running container: they only ask for URLs (the container's
// main process is never attached to: each session either is never opened or is refused).
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  type Container,
  containerRunning,
  cri,
  itId,
  openForward,
  openStream,
  overEachProtocol,
  type Pod,
  rpc,
  runningIn,
  type Scope,
  shared,
  StreamingError,
  type StreamingProtocol,
  useScope,
  useWorkerPod,
} from '../src/framework/index.js';

/** The same URL with its last path segment (the session token) replaced by one never issued. */
function withUnknownToken(url: string): string {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/[^/]+$/, `crit${randomBytes(6).toString('hex')}`);
  return u.toString();
}

/** The pod and the running container of the describe, shared by its tests. */
interface Fixture {
  pod(): Promise<Pod>;
  container(): Promise<Container>;
}

interface Case {
  rpc: 'Exec' | 'Attach' | 'PortForward';
  /** Calls the RPC on the shared pod/container and returns the URL it answered. */
  url(fixture: Fixture): Promise<string>;
  /** Opens a session of this kind on `url`. */
  open(scope: Scope, protocol: StreamingProtocol, url: string): Promise<unknown>;
}

const cases: Case[] = [
  {
    rpc: 'Exec',
    url: async (fixture) => {
      const container = await fixture.container();
      return (
        await cri().runtime.Exec({
          container_id: container.id,
          cmd: ['true'],
          stdout: true,
          stderr: false,
          stdin: false,
          tty: false,
        })
      ).url;
    },
    open: (scope, protocol, url) => openStream(scope, protocol, url, { stdout: true }, 'exec'),
  },
  {
    rpc: 'Attach',
    url: async (fixture) => {
      const container = await fixture.container();
      return (
        await cri().runtime.Attach({
          container_id: container.id,
          stdout: true,
          stderr: false,
          stdin: false,
          tty: false,
        })
      ).url;
    },
    open: (scope, protocol, url) => openStream(scope, protocol, url, { stdout: true }, 'attach'),
  },
  {
    rpc: 'PortForward',
    url: async (fixture) => {
      const pod = await fixture.pod();
      return (await cri().runtime.PortForward({ pod_sandbox_id: pod.id, port: [80] })).url;
    },
    open: (scope, protocol, url) => openForward(scope, protocol, url, [80]),
  },
];

describe('Streaming', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  const container = shared(runningIn(pod, 'url'), containerRunning);
  const fixture: Fixture = { pod: () => pod.get(), container: () => container.get() };

  for (const c of cases) {
    rpc(c.rpc, function () {
      itId(
        `${c.rpc.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}.absolute-url-host`,
        'returns an absolute URL with a host',
        async function () {
          const url = await c.url(fixture);
          expect(
            () => new URL(url),
            `${c.rpc}Response.url parses as an absolute URL: ${JSON.stringify(url)}`,
          ).to.not.throw();
          expect(new URL(url).protocol, `${c.rpc}Response.url scheme (${url})`).to.be.oneOf(['http:', 'https:']);
          expect(new URL(url).host, `${c.rpc}Response.url host (${url})`).to.not.equal('');
        },
      );

      overEachProtocol((protocol) => {
        it('refuses a session id it never issued with an HTTP error', async function () {
          const url = withUnknownToken(await c.url(fixture));
          const err = await c.open(scope, protocol, url).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err, `opening a ${c.rpc} session for an unknown id`).to.be.instanceOf(StreamingError);
          expect((err as Error).message, `${c.rpc} session for an unknown id`).to.match(
            /upgrade refused: HTTP [45]\d\d /,
          );
        });
      });
    });
  }
});
