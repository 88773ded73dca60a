// Port forward over WebSocket (v4.channel.k8s.io): the ports are fixed by the request; the i-th
// port has data channel 2i and error channel 2i+1, and the first message on each channel starts
// with the port number (2 bytes, little-endian). The server closes the WebSocket when every
// forwarded connection has ended. One connection per listed port.
import {
  decodeChannelFrame,
  encodeChannelFrame,
  PORT_FORWARD_WS_PROTOCOLS,
  portChannels,
  splitPortPrefix,
} from './channel-codec.js';
import { ForwardedConnection, type PortForwardTransport } from './port-forward.js';
import { StreamingError } from './session.js';
import { openWebSocket } from './ws-connect.js';
import type WebSocket from 'ws';

/** Adds `?port=` for each port (servers that read the ports from the query need it). */
export function withPortQuery(url: string, ports: readonly number[]): string {
  const u = new URL(url);
  for (const p of ports) u.searchParams.append('port', String(p));
  return u.toString();
}

export async function connectWebSocketPortForward(
  url: string,
  ports: readonly number[],
  signal: AbortSignal,
  label: string,
): Promise<PortForwardTransport> {
  const byChannel = new Map<
    number,
    { connection: ForwardedConnection; kind: 'data' | 'error'; port: number; prefixed: boolean }
  >();
  let failure: Error | undefined;
  let socket: WebSocket | undefined;
  const send = (channel: number, bytes: Buffer): void => {
    if (!socket) throw new StreamingError(`${label}: the WebSocket is not open`);
    socket.send(encodeChannelFrame(channel, bytes));
  };
  const connections = ports.map((port, i) => {
    const { data, error } = portChannels(i);
    const connection = new ForwardedConnection(`${label} port ${port}`, {
      send: (bytes) => send(data, bytes),
      end: () => undefined,
    });
    byChannel.set(data, { connection, kind: 'data', port, prefixed: false });
    byChannel.set(error, { connection, kind: 'error', port, prefixed: false });
    return connection;
  });
  const onMessage = (raw: Buffer): void => {
    const { channel, payload } = decodeChannelFrame(raw);
    const entry = byChannel.get(channel);
    // An empty message announces that the connection is ready; it carries no port prefix.
    if (!entry || (payload.length === 0 && !entry.prefixed)) return;
    let body = payload;
    if (!entry.prefixed) {
      entry.prefixed = true;
      const { port, rest } = splitPortPrefix(payload);
      if (port !== entry.port) {
        failure = new StreamingError(`${label}: channel ${channel} announced port ${port}, expected ${entry.port}`);
        socket?.terminate();
        return;
      }
      body = rest;
    }
    entry.connection.receive(entry.kind, body);
  };
  const ws = await openWebSocket(withPortQuery(url, ports), PORT_FORWARD_WS_PROTOCOLS, signal, label, onMessage);
  socket = ws;
  ws.on('error', (err) => {
    failure ??= new StreamingError(`${label}: ${err.message}`);
  });
  ws.on('close', () => {
    for (const c of connections) {
      if (failure) c.fail(failure);
      else c.finish();
    }
  });
  const handedOut = new Set<number>();
  return {
    protocol: ws.protocol,
    open: async (port) => {
      const i = ports.findIndex((p, index) => p === port && !handedOut.has(index));
      if (i < 0) {
        const why = ports.includes(port)
          ? 'each listed port carries one connection, and all are in use'
          : `it was not in the request (${ports.join(', ')})`;
        throw new StreamingError(`${label}: no WebSocket connection to port ${port}: ${why}`);
      }
      handedOut.add(i);
      return connections[i];
    },
    destroy: () => ws.terminate(),
  };
}
