// Misbehaving streaming servers for the harness's own tests: one that never answers the upgrade,
// one that stops talking mid-stream, one that closes early, one that refuses, and one that
// follows the protocol. SPDY and WebSocket, on 127.0.0.1, for exec/attach sessions.
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { encodeChannelFrame } from './channel-codec.js';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './spdy-headers.js';
import { encodeData, encodeSynReply, FrameParser } from './spdy-frames.js';

export type FakeBehaviour = 'never-upgrade' | 'refuse' | 'hang-mid-stream' | 'close-early' | 'exit-3';

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

const STATUS_EXIT_3 = JSON.stringify({
  status: 'Failure',
  reason: 'NonZeroExitCode',
  message: 'exit 3',
  details: { causes: [{ reason: 'ExitCode', message: '3' }] },
});

function listen(server: Server | WebSocketServer, sockets: Set<Socket>): Promise<FakeServer> {
  return new Promise((resolve) => {
    const done = (port: number): void =>
      resolve({
        url: `http://127.0.0.1:${port}/exec/faketoken`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    if (server instanceof WebSocketServer)
      server.on('listening', () => done((server.address() as { port: number }).port));
    else server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port));
  });
}

/** A SPDY/3.1 exec server with the given behaviour. */
export function fakeSpdyServer(behaviour: FakeBehaviour): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let request = '';
    const onRequest = (chunk: Buffer): void => {
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n') || behaviour === 'never-upgrade') return;
      socket.off('data', onRequest);
      if (behaviour === 'refuse') {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found');
        return;
      }
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
      );
      serveSpdy(socket, behaviour);
    };
    socket.on('data', onRequest);
    socket.on('error', () => socket.destroy());
  });
  return listen(server, sockets);
}

function serveSpdy(socket: Socket, behaviour: FakeBehaviour): void {
  const parser = new FrameParser();
  const inflater = new HeaderDecompressor();
  const deflater = new HeaderCompressor();
  const streams = new Map<string, number>();
  socket.on('data', (chunk: Buffer) => {
    for (const frame of parser.push(chunk)) {
      if (frame.type !== 'syn_stream') continue;
      const type = decodeHeaderBlock(inflater.decompress(frame.headerBlock)).get('streamtype')?.[0] ?? '';
      streams.set(type, frame.streamId);
      socket.write(encodeSynReply(frame.streamId, deflater.compress(encodeHeaderBlock([]))));
    }
    const stdout = streams.get('stdout');
    const error = streams.get('error');
    if (stdout === undefined || error === undefined || !streams.has('stderr')) return;
    socket.write(encodeData(stdout, Buffer.from('partial')));
    if (behaviour === 'close-early') socket.destroy();
    if (behaviour === 'exit-3') {
      socket.write(encodeData(stdout, Buffer.alloc(0), true));
      socket.write(encodeData(streams.get('stderr')!, Buffer.alloc(0), true));
      socket.write(encodeData(error, Buffer.from(STATUS_EXIT_3), true));
    }
    streams.clear(); // 'hang-mid-stream': say nothing more
  });
}

/** A WebSocket (v4.channel.k8s.io) exec server with the given behaviour. */
export function fakeWebSocketServer(behaviour: FakeBehaviour): Promise<FakeServer> {
  if (behaviour === 'never-upgrade' || behaviour === 'refuse') return fakeSpdyServer(behaviour);
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'v4.channel.k8s.io' });
  wss.on('connection', (ws, req) => {
    sockets.add(req.socket);
    ws.send(encodeChannelFrame(1, 'partial'));
    if (behaviour === 'close-early') ws.close(1000);
    if (behaviour === 'exit-3') {
      ws.send(encodeChannelFrame(3, STATUS_EXIT_3));
      ws.close(1000);
    }
  });
  return listen(wss, sockets);
}

/**
 * A WebSocket port-forward server as kubelet's library behaves: an empty message on the lowest
 * channel, the port prefix on each channel, then it echoes data upper-cased and closes.
 */
export function fakeWebSocketPortForwardServer(port: number): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'v4.channel.k8s.io' });
  wss.on('connection', (ws, req) => {
    sockets.add(req.socket);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port, 0);
    ws.send(encodeChannelFrame(0));
    ws.send(encodeChannelFrame(0, prefix));
    ws.send(encodeChannelFrame(1, prefix));
    ws.on('message', (data: Buffer) => {
      ws.send(encodeChannelFrame(0, data.subarray(1).toString('latin1').toUpperCase()));
      ws.close(1000);
    });
  });
  return listen(wss, sockets);
}
