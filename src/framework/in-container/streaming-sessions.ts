// Streaming sessions for specs: one describe per chosen protocol, and sessions on the URLs that
// Exec, Attach and PortForward return, closed by the scope after the test.
import { recordSession } from '../../client/call-log.js';
import { callObserver } from '../run/current-test.js';
import { ctx } from '../run/context.js';
import type { Scope } from '../fixtures/scope.js';
import { skipWithReason } from '../verdicts/optional.js';
import {
  openPortForward,
  openRemoteCommand,
  STREAMING_PROTOCOLS,
  type PortForwardSession,
  type RemoteCommandSession,
  type StreamingProtocol,
} from '../../streaming/index.js';
import { protocolTitle } from '../../streaming/protocol-choice.js';
import { hasCloseSignal } from '../../streaming/channel-codec.js';

export type {
  StreamingProtocol,
  RemoteCommandSession,
  RemoteCommandResult,
  PortForwardSession,
  ForwardResult,
} from '../../streaming/index.js';
export { StreamingError, describeStatus } from '../../streaming/index.js';

/** Registers `body` once per streaming protocol, each inside `describe('over <protocol>')`. */
export function overEachProtocol(body: (protocol: StreamingProtocol) => void): void {
  for (const protocol of STREAMING_PROTOCOLS) {
    describe(protocolTitle(protocol), function () {
      beforeEach(function () {
        const chosen = ctx().streamingProtocols ?? STREAMING_PROTOCOLS;
        if (!chosen.includes(protocol)) skipWithReason(this, `not selected: --streaming-protocol ${chosen.join(',')}`);
      });
      body(protocol);
    });
  }
}

/** Deadline of one streaming session: the run's default call deadline. */
export function streamingTimeoutMs(): number {
  return ctx().timeouts.defaultMs;
}

interface StreamFlags {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
}

/** Opens an exec/attach session on `url` with the flags of the request that produced it. */
export async function openStream(
  scope: Scope,
  protocol: StreamingProtocol,
  url: string,
  req: StreamFlags,
  what: 'exec' | 'attach',
): Promise<RemoteCommandSession> {
  const startedAt = Date.now();
  const started = performance.now();
  const origin = callObserver();
  const session = await openRemoteCommand(
    protocol,
    url,
    {
      stdin: req.stdin ?? false,
      stdout: req.stdout ?? false,
      stderr: req.stderr ?? false,
      tty: req.tty ?? false,
      timeoutMs: streamingTimeoutMs(),
    },
    what,
  );
  session.done.then(
    () => recordSession(what, startedAt, performance.now() - started, true, origin),
    () => recordSession(what, startedAt, performance.now() - started, false, origin),
  );
  scope.defer(`${what} session to ${url}`, async () => session.close());
  return session;
}

/** Opens a port-forward session on `url`; `ports` are those named in the PortForward request. */
export async function openForward(
  scope: Scope,
  protocol: StreamingProtocol,
  url: string,
  ports: number[],
): Promise<PortForwardSession> {
  const startedAt = Date.now();
  const started = performance.now();
  const origin = callObserver();
  const session = await openPortForward(protocol, url, { ports, timeoutMs: streamingTimeoutMs() });
  // A port-forward session lasts until it is closed, by the test or by the scope after it.
  const close = session.close.bind(session);
  let closed = false;
  session.close = (): void => {
    if (!closed) recordSession('port-forward', startedAt, performance.now() - started, true, origin);
    closed = true;
    close();
  };
  scope.defer(`port forward session to ${url}`, async () => session.close());
  return session;
}

/**
 * Skips the test when the session cannot close stdin on its own: WebSocket before
 * v5.channel.k8s.io has no close signal (SPDY half-closes the stdin stream).
 */
export function requireStdinClose(
  test: Mocha.Context,
  protocol: StreamingProtocol,
  session: RemoteCommandSession,
): void {
  if (protocol === 'spdy' || hasCloseSignal(session.protocol)) return;
  skipWithReason(
    test,
    `unsupported: the streaming server chose ${session.protocol || 'no subprotocol'} for WebSocket, which cannot close stdin alone (v5.channel.k8s.io can)`,
  );
}

/**
 * Ends the client's input: half-closes stdin (SPDY, WebSocket v5), or, over WebSocket before v5,
 * which has no stdin close signal, closes the connection as such clients do.
 */
export function endInput(protocol: StreamingProtocol, session: RemoteCommandSession): void {
  if (protocol === 'spdy' || hasCloseSignal(session.protocol)) session.closeStdin();
  else session.close();
}

/** An HTTP/1.0 GET of `/`: the server answers and closes, which ends the forwarded connection. */
export const HTTP_GET = 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n';

/** Whether `data` holds an HTTP response's headers and as many body bytes as its Content-Length says. */
export function wholeHttpResponse(data: Buffer): boolean {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /^content-length:[ \t]*(\d+)[ \t]*\r?$/im.exec(data.subarray(0, end).toString('latin1'));
  return length !== null && data.length - (end + 4) >= Number(length[1]);
}
