// Exec and attach over WebSocket: channel-framed binary messages (stdin 0, stdout 1, stderr 2,
// status 3, resize 4); the server closes the WebSocket when the process has exited.
import {
  Channel,
  decodeChannelFrame,
  encodeChannelFrame,
  encodeCloseSignal,
  encodeTerminalSize,
  hasCloseSignal,
  REMOTE_COMMAND_WS_PROTOCOLS,
} from './channel-codec.js';
import { StreamingError, type RemoteCommandSink, type RemoteCommandTransport } from './session.js';
import { openWebSocket } from './ws-connect.js';

export async function connectWebSocketRemoteCommand(
  url: string,
  sink: RemoteCommandSink,
  signal: AbortSignal,
  label: string,
): Promise<RemoteCommandTransport> {
  const ws = await openWebSocket(url, REMOTE_COMMAND_WS_PROTOCOLS, signal, label, (data, isBinary) => {
    if (!isBinary) {
      sink.failed(new StreamingError(`${label}: text message on a binary channel protocol`));
      return;
    }
    const { channel, payload } = decodeChannelFrame(data);
    if (channel === Channel.stdout) sink.output('stdout', payload);
    else if (channel === Channel.stderr) sink.output('stderr', payload);
    else if (channel === Channel.error) sink.output('error', payload);
  });
  const protocol = ws.protocol;
  sink.opened(protocol);
  ws.on('close', () => sink.ended());
  ws.on('error', (err) => sink.failed(new StreamingError(`${label}: ${err.message}`)));
  return {
    protocol,
    sendStdin: (data) => ws.send(encodeChannelFrame(Channel.stdin, data)),
    closeStdin: () => {
      if (!hasCloseSignal(protocol)) {
        throw new StreamingError(
          `${label}: the server chose ${JSON.stringify(protocol)}, which cannot close stdin (v5.channel.k8s.io can)`,
        );
      }
      ws.send(encodeCloseSignal(Channel.stdin));
    },
    resize: (width, height) => ws.send(encodeChannelFrame(Channel.resize, encodeTerminalSize(width, height))),
    destroy: () => ws.terminate(),
  };
}
