// The Kubernetes channel protocol spoken over WebSocket (`channel.k8s.io`, `v4.channel.k8s.io`,
// `v5.channel.k8s.io`): every binary message is one byte naming the channel, then the payload.
// Pure functions only; the sockets live in ws-*.ts.

/** Channel numbers of exec/attach sessions. */
export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

/** v5 only: a message `[255, channel]` tells the peer that `channel` will carry no more data. */
export const CLOSE_SIGNAL = 255;

/** Subprotocols offered for exec/attach, newest first; the server picks one. */
export const REMOTE_COMMAND_WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'] as const;
/** Subprotocols offered for port forward (the streaming servers of kubelet's library know v4 only). */
export const PORT_FORWARD_WS_PROTOCOLS = ['v4.channel.k8s.io'] as const;

export class FramingError extends Error {
  override name = 'FramingError';
}

export interface ChannelFrame {
  channel: number;
  payload: Buffer;
}

export function encodeChannelFrame(channel: number, payload: Uint8Array | string = Buffer.alloc(0)): Buffer {
  if (!Number.isInteger(channel) || channel < 0 || channel > 255)
    throw new FramingError(`channel ${channel} is not a byte`);
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
  return Buffer.concat([Buffer.from([channel]), body]);
}

export function decodeChannelFrame(message: Uint8Array): ChannelFrame {
  if (message.length === 0) throw new FramingError('empty WebSocket message: no channel byte');
  const buf = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  return { channel: buf[0], payload: buf.subarray(1) };
}

/** The v5 close signal for `channel` (only valid when v5.channel.k8s.io was negotiated). */
export function encodeCloseSignal(channel: number): Buffer {
  return Buffer.from([CLOSE_SIGNAL, channel]);
}

/** Whether a negotiated subprotocol has the v5 close signal. */
export function hasCloseSignal(protocol: string): boolean {
  return protocol === 'v5.channel.k8s.io';
}

/** The body of a resize message (both protocols): kubelet decodes it as remotecommand.TerminalSize. */
export function encodeTerminalSize(width: number, height: number): Buffer {
  return Buffer.from(JSON.stringify({ Width: width, Height: height }), 'utf8');
}

/** Port forward over WebSocket: the i-th requested port uses data channel 2i and error channel 2i+1. */
export function portChannels(index: number): { data: number; error: number } {
  return { data: index * 2, error: index * 2 + 1 };
}

/**
 * The first message on every port-forward channel starts with the port as 2 bytes little-endian;
 * returns that port and whatever data follows it.
 */
export function splitPortPrefix(payload: Buffer): { port: number; rest: Buffer } {
  if (payload.length < 2)
    throw new FramingError(`first port-forward frame has ${payload.length} byte(s), expected a 2-byte port prefix`);
  return { port: payload.readUInt16LE(0), rest: payload.subarray(2) };
}
