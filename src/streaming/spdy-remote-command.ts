// Exec and attach over SPDY/3.1: one SPDY stream per standard stream, named by its `streamtype`
// header (error, stdin, stdout, stderr without tty, resize with tty), as kubelet's remotecommand
// server expects them; the session ends when the server closes the connection or every stream.
import { encodeTerminalSize } from './channel-codec.js';
import {
  StreamingError,
  type RemoteCommandOptions,
  type RemoteCommandSink,
  type RemoteCommandTransport,
} from './session.js';
import { SpdyConnection, upgradeToSpdy, type SpdyStream } from './spdy-connection.js';

/** X-Stream-Protocol-Version values offered, newest first. */
export const REMOTE_COMMAND_SPDY_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const;

/** v1 and v2 have no resize stream. */
function supportsResize(protocol: string): boolean {
  return !['', 'channel.k8s.io', 'v2.channel.k8s.io'].includes(protocol);
}

export async function connectSpdyRemoteCommand(
  url: string,
  opts: RemoteCommandOptions,
  sink: RemoteCommandSink,
  signal: AbortSignal,
  label: string,
): Promise<RemoteCommandTransport> {
  const up = await upgradeToSpdy(url, REMOTE_COMMAND_SPDY_PROTOCOLS, signal, label);
  sink.opened(up.protocol);
  const conn = new SpdyConnection(up.socket, up.head, label);
  const onAbort = (): void => conn.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  conn.onClose = (error) => {
    signal.removeEventListener('abort', onAbort);
    if (error) sink.failed(error);
    else sink.ended();
  };

  const error = conn.openStream({ streamtype: 'error' });
  error.onData = (d) => sink.output('error', d);
  error.end(); // the client never writes to the error stream
  const stdin = opts.stdin ? conn.openStream({ streamtype: 'stdin' }) : undefined;
  const stdout = opts.stdout ? conn.openStream({ streamtype: 'stdout' }) : undefined;
  const stderr = opts.stderr && !opts.tty ? conn.openStream({ streamtype: 'stderr' }) : undefined;
  const resize = opts.tty && supportsResize(up.protocol) ? conn.openStream({ streamtype: 'resize' }) : undefined;
  if (stdout) stdout.onData = (d) => sink.output('stdout', d);
  if (stderr) stderr.onData = (d) => sink.output('stderr', d);

  // The session is over once the status and every output stream are complete.
  const finishing: SpdyStream[] = [error, ...(stdout ? [stdout] : []), ...(stderr ? [stderr] : [])];
  for (const s of finishing) {
    s.onEnd = () => {
      if (finishing.every((f) => f.remoteClosed)) sink.ended();
    };
  }
  const opened = [error, stdin, stdout, stderr, resize].filter((s): s is SpdyStream => s !== undefined);
  await Promise.all(opened.map((s) => s.replied));

  return {
    protocol: up.protocol,
    sendStdin: (data) => {
      if (!stdin) throw new StreamingError(`${label}: the session has no stdin stream`);
      stdin.write(data);
    },
    closeStdin: () => {
      if (!stdin) throw new StreamingError(`${label}: the session has no stdin stream`);
      stdin.end();
    },
    resize: (width, height) => {
      if (!resize)
        throw new StreamingError(
          `${label}: no resize stream (tty off, or ${JSON.stringify(up.protocol)} cannot resize)`,
        );
      resize.write(encodeTerminalSize(width, height));
    },
    destroy: () => conn.destroy(),
  };
}
