// The URLs Exec, Attach and PortForward return. api.proto:1638-1641, 1663-1666, 1674-1677: each
// response carries the "Fully qualified URL" of the streaming server. A session id the server
// never issued must be refused with an HTTP error, over either protocol.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { cri, openForward, openStream, overEachProtocol, rpc, StreamingError, useScope, type Scope } from '../src/framework/index.js';

/** The same URL with its last path segment (the session token) replaced by one never issued. */
function withUnknownToken(url: string): string {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/[^/]+$/, `crit${randomBytes(6).toString('hex')}`);
  return u.toString();
}

function expectAbsolute(url: string, what: string): void {
  expect(() => new URL(url), `${what} parses as an absolute URL: ${JSON.stringify(url)}`).to.not.throw();
  const u = new URL(url);
  expect(u.protocol, `${what} scheme (${url})`).to.be.oneOf(['http:', 'https:']);
  expect(u.host, `${what} host (${url})`).to.not.equal('');
}

async function refusal(open: Promise<unknown>, what: string): Promise<string> {
  const err = await open.then(() => undefined, (e: unknown) => e);
  expect(err, `${what}: opening a session for an unknown id`).to.be.instanceOf(StreamingError);
  return (err as Error).message;
}

async function urls(scope: Scope): Promise<{ exec: string; attach: string; portForward: string }> {
  const { pod, container } = await scope.runPodWithContainer('url');
  const exec = (await cri().runtime.Exec({ container_id: container.id, cmd: ['true'], stdout: true, stderr: false, stdin: false, tty: false })).url;
  const attach = (await cri().runtime.Attach({ container_id: container.id, stdout: true, stderr: false, stdin: false, tty: false })).url;
  const portForward = (await cri().runtime.PortForward({ pod_sandbox_id: pod.id, port: [80] })).url;
  return { exec, attach, portForward };
}

describe('Streaming', function () {
  const scope = useScope();

  rpc('Exec', function () {
    it('returns an absolute URL with a host', async function () {
      const { container } = await scope.runPodWithContainer('url-exec');
      const { url } = await cri().runtime.Exec({ container_id: container.id, cmd: ['true'], stdout: true, stderr: false, stdin: false, tty: false });
      expectAbsolute(url, 'ExecResponse.url');
    });
  });

  rpc('Attach', function () {
    it('returns an absolute URL with a host', async function () {
      const { container } = await scope.runPodWithContainer('url-attach');
      const { url } = await cri().runtime.Attach({ container_id: container.id, stdout: true, stderr: false, stdin: false, tty: false });
      expectAbsolute(url, 'AttachResponse.url');
    });
  });

  rpc('PortForward', function () {
    it('returns an absolute URL with a host', async function () {
      const pod = await scope.runPod('url-pf');
      const { url } = await cri().runtime.PortForward({ pod_sandbox_id: pod.id, port: [80] });
      expectAbsolute(url, 'PortForwardResponse.url');
    });
  });

  describe('unknown session id', function () {
    overEachProtocol((protocol) => {
      it('is refused with an HTTP error by the exec, attach and port-forward endpoints', async function () {
        const u = await urls(scope);
        const flags = { stdout: true };
        const exec = await refusal(openStream(scope, protocol, withUnknownToken(u.exec), flags, 'exec'), 'exec');
        const attach = await refusal(openStream(scope, protocol, withUnknownToken(u.attach), flags, 'attach'), 'attach');
        const pf = await refusal(openForward(scope, protocol, withUnknownToken(u.portForward), [80]), 'port forward');
        expect(exec, 'exec error').to.match(/upgrade refused: HTTP [45]\d\d /);
        expect(attach, 'attach error').to.match(/upgrade refused: HTTP [45]\d\d /);
        expect(pf, 'port-forward error').to.match(/upgrade refused: HTTP [45]\d\d /);
      });
    });
  });
});
