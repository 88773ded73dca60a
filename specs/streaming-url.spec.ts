// The URLs Exec, Attach and PortForward return. api.proto:1638-1641, 1663-1666, 1674-1677: each
// response carries the "Fully qualified URL" of the streaming server. A session id the server
// never issued must be refused with an HTTP error, over either protocol.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { cri, openForward, openStream, overEachProtocol, rpc, StreamingError, useScope, type Scope, type StreamingProtocol } from '../src/framework/index.js';

/** The same URL with its last path segment (the session token) replaced by one never issued. */
function withUnknownToken(url: string): string {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/[^/]+$/, `crit${randomBytes(6).toString('hex')}`);
  return u.toString();
}

interface Case {
  rpc: 'Exec' | 'Attach' | 'PortForward';
  /** Calls the RPC on a fresh pod/container and returns the URL it answered. */
  url(scope: Scope): Promise<string>;
  /** Opens a session of this kind on `url`. */
  open(scope: Scope, protocol: StreamingProtocol, url: string): Promise<unknown>;
}

const cases: Case[] = [
  {
    rpc: 'Exec',
    url: async (scope) => {
      const { container } = await scope.runPodWithContainer('url-exec');
      return (await cri().runtime.Exec({ container_id: container.id, cmd: ['true'], stdout: true, stderr: false, stdin: false, tty: false })).url;
    },
    open: (scope, protocol, url) => openStream(scope, protocol, url, { stdout: true }, 'exec'),
  },
  {
    rpc: 'Attach',
    url: async (scope) => {
      const { container } = await scope.runPodWithContainer('url-attach');
      return (await cri().runtime.Attach({ container_id: container.id, stdout: true, stderr: false, stdin: false, tty: false })).url;
    },
    open: (scope, protocol, url) => openStream(scope, protocol, url, { stdout: true }, 'attach'),
  },
  {
    rpc: 'PortForward',
    url: async (scope) => {
      const pod = await scope.runPod('url-pf');
      return (await cri().runtime.PortForward({ pod_sandbox_id: pod.id, port: [80] })).url;
    },
    open: (scope, protocol, url) => openForward(scope, protocol, url, [80]),
  },
];

describe('Streaming', function () {
  const scope = useScope();

  for (const c of cases) {
    rpc(c.rpc, function () {
      it('returns an absolute URL with a host', async function () {
        const url = await c.url(scope);
        expect(() => new URL(url), `${c.rpc}Response.url parses as an absolute URL: ${JSON.stringify(url)}`).to.not.throw();
        expect(new URL(url).protocol, `${c.rpc}Response.url scheme (${url})`).to.be.oneOf(['http:', 'https:']);
        expect(new URL(url).host, `${c.rpc}Response.url host (${url})`).to.not.equal('');
      });

      overEachProtocol((protocol) => {
        it('refuses a session id it never issued with an HTTP error', async function () {
          const url = withUnknownToken(await c.url(scope));
          const err = await c.open(scope, protocol, url).then(() => undefined, (e: unknown) => e);
          expect(err, `opening a ${c.rpc} session for an unknown id`).to.be.instanceOf(StreamingError);
          expect((err as Error).message, `${c.rpc} session for an unknown id`).to.match(/upgrade refused: HTTP [45]\d\d /);
        });
      });
    });
  }
});
