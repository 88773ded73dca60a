// Entry points: open an exec/attach or port-forward session on a URL the runtime returned, over
// the chosen protocol, with one deadline for the whole session.
import { PortForwardSession } from './port-forward.js';
import { PROTOCOL_NAMES, RemoteCommandSession, type RemoteCommandOptions, type StreamingProtocol } from './session.js';
import { connectSpdyPortForward } from './spdy-port-forward.js';
import { connectSpdyRemoteCommand } from './spdy-remote-command.js';
import { connectWebSocketPortForward } from './ws-port-forward.js';
import { connectWebSocketRemoteCommand } from './ws-remote-command.js';

export * from './session.js';
export { describeStatus, type ExitStatus } from './status.js';
export { ForwardedConnection, PortForwardSession, type ForwardResult } from './port-forward.js';

/** Opens an exec or attach session (`what` only names it in errors). */
export async function openRemoteCommand(
  protocol: StreamingProtocol,
  url: string,
  opts: RemoteCommandOptions,
  what = 'exec',
): Promise<RemoteCommandSession> {
  const session = new RemoteCommandSession(`${what} over ${PROTOCOL_NAMES[protocol]} to ${url}`, opts.timeoutMs);
  const { signal } = session.deadline;
  const connecting =
    protocol === 'websocket'
      ? connectWebSocketRemoteCommand(url, session, signal, session.label)
      : connectSpdyRemoteCommand(url, opts, session, signal, session.label);
  // Whichever comes first: the streams are ready, or the session failed (deadline, early close).
  let transport;
  try {
    transport = await Promise.race([connecting, session.done.then(() => undefined)]);
  } catch (err) {
    session.failed(err instanceof Error ? err : new Error(String(err))); // stops the deadline
    throw err;
  }
  if (transport) session.attach(transport);
  else
    void connecting.then(
      (t) => t.destroy(),
      () => undefined,
    );
  return session;
}

/**
 * Opens a port-forward session. `ports` are those named in the PortForward request: WebSocket
 * forwards exactly those (one connection each); SPDY forwards any port, any number of times.
 */
export async function openPortForward(
  protocol: StreamingProtocol,
  url: string,
  opts: { ports: readonly number[]; timeoutMs: number },
): Promise<PortForwardSession> {
  const session = new PortForwardSession(`port forward over ${PROTOCOL_NAMES[protocol]} to ${url}`, opts.timeoutMs);
  const { signal } = session.deadline;
  try {
    const transport =
      protocol === 'websocket'
        ? await connectWebSocketPortForward(url, opts.ports, signal, session.label)
        : await connectSpdyPortForward(url, signal, session.label);
    session.attach(transport);
  } catch (err) {
    session.close(); // stops the deadline
    throw err;
  }
  return session;
}
