// A SPDY/3.1 client connection over an upgraded HTTP/1.1 socket: the upgrade request, stream
// creation with SYN_STREAM, data in both directions with half-close, and the frames a server may
// send unasked (PING is answered, SETTINGS/WINDOW_UPDATE ignored as spdystream does, server push
// refused). Deadlines belong to the sessions that use it.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { FramingError } from './channel-codec.js';
import { StreamingError } from './session.js';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor } from './spdy-headers.js';
import {
  encodeData,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  FLAG_FIN,
  FrameParser,
  RstStatus,
  type Frame,
} from './spdy-frames.js';

const DATA_CHUNK = 32 * 1024;

export interface SpdyUpgrade {
  socket: Socket;
  head: Buffer;
  /** The server's X-Stream-Protocol-Version ('' when it sent none). */
  protocol: string;
}

/** POSTs the upgrade request offering `protocols`; rejects on any answer but 101 SPDY/3.1. */
export function upgradeToSpdy(
  url: string,
  protocols: readonly string[],
  signal: AbortSignal,
  label: string,
): Promise<SpdyUpgrade> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'SPDY/3.1',
        'X-Stream-Protocol-Version': [...protocols],
        'Content-Length': '0',
      },
    });
    const onAbort = (): void => {
      req.destroy();
      reject(new StreamingError(`${label}: the session deadline passed before the upgrade completed`));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('upgrade', (res, socket, head) => {
      signal.removeEventListener('abort', onAbort);
      const upgrade = String(res.headers.upgrade ?? '');
      if (upgrade.toLowerCase() !== 'spdy/3.1') {
        socket.destroy();
        reject(new StreamingError(`${label}: server upgraded to ${JSON.stringify(upgrade)}, expected "SPDY/3.1"`));
        return;
      }
      const version = res.headers['x-stream-protocol-version'];
      resolve({ socket, head, protocol: Array.isArray(version) ? (version[0] ?? '') : (version ?? '') });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 500) body += d;
      });
      res.on('end', () => {
        signal.removeEventListener('abort', onAbort);
        reject(
          new StreamingError(
            `${label}: upgrade refused: HTTP ${res.statusCode} ${res.statusMessage ?? ''}: ${JSON.stringify(body.trim().slice(0, 300))}`,
          ),
        );
      });
    });
    req.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(new StreamingError(`${label}: upgrade request failed: ${err.message}`));
    });
    req.end();
  });
}

/** One SPDY stream opened by this client. */
export class SpdyStream {
  /** Resolves on SYN_REPLY; rejects if the stream is reset or the connection ends first. */
  readonly replied: Promise<void>;
  onData: (data: Buffer) => void = () => undefined;
  /** The server finished the stream (FIN), reset it, or the connection ended. */
  onEnd: (reason: string) => void = () => undefined;
  remoteClosed = false;
  private localClosed = false;
  private markReplied!: () => void;
  private failReply!: (e: Error) => void;

  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly conn: SpdyConnection,
  ) {
    this.replied = new Promise((resolve, reject) => {
      this.markReplied = resolve;
      this.failReply = reject;
    });
    this.replied.catch(() => undefined);
  }

  write(data: Buffer): void {
    if (this.localClosed)
      throw new StreamingError(`${this.conn.label}: write to ${this.describe()} after it was closed`);
    for (let at = 0; at < data.length; at += DATA_CHUNK)
      this.conn.send(encodeData(this.id, data.subarray(at, at + DATA_CHUNK)));
  }

  /** Half-closes: an empty DATA frame with FIN. */
  end(): void {
    if (this.localClosed) return;
    this.localClosed = true;
    this.conn.send(encodeData(this.id, Buffer.alloc(0), true));
  }

  describe(): string {
    return `stream ${this.id} (${Object.entries(this.headers)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')})`;
  }

  /** @internal */ handleReply(): void {
    this.markReplied();
  }

  /** @internal */ handleData(payload: Buffer, fin: boolean): void {
    if (payload.length > 0) this.onData(payload);
    if (fin) this.finish('FIN');
  }

  /** @internal */ finish(reason: string): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.failReply(
      new StreamingError(`${this.conn.label}: ${this.describe()} ended (${reason}) before the server replied`),
    );
    this.onEnd(reason);
  }
}

export class SpdyConnection {
  /** Called once when the socket closes; `error` says why when it was not a clean close. */
  onClose: (error?: Error) => void = () => undefined;
  private readonly parser = new FrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private nextId = 1;
  private closed = false;
  private failure: Error | undefined;

  constructor(
    private readonly socket: Socket,
    head: Buffer,
    readonly label: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => {
      this.failure ??= new StreamingError(`${label}: connection error: ${err.message}`);
    });
    socket.on('close', () => this.handleClose());
    if (head.length > 0) queueMicrotask(() => this.receive(head));
  }

  /** Sends SYN_STREAM with `headers`; wait for `replied` before relying on the stream. */
  openStream(headers: Record<string, string>): SpdyStream {
    if (this.closed) throw new StreamingError(`${this.label}: connection is closed`);
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(id, headers, this);
    this.streams.set(id, stream);
    const block = this.compressor.compress(encodeHeaderBlock(Object.entries(headers)));
    this.send(encodeSynStream(id, block));
    return stream;
  }

  /** @internal */ send(frame: Buffer): void {
    if (!this.closed) this.socket.write(frame);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.parser.push(chunk)) this.handle(frame);
    } catch (err) {
      this.failure = new StreamingError(
        `${this.label}: ${err instanceof FramingError ? 'protocol error' : 'error'}: ${(err as Error).message}`,
      );
      this.socket.destroy();
    }
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case 'data':
        this.streams.get(frame.streamId)?.handleData(frame.payload, (frame.flags & FLAG_FIN) !== 0);
        break;
      case 'syn_reply': {
        this.decompressor.decompress(frame.headerBlock);
        const stream = this.streams.get(frame.streamId);
        stream?.handleReply();
        if (frame.flags & FLAG_FIN) stream?.finish('FIN on SYN_REPLY');
        break;
      }
      case 'headers':
        this.decompressor.decompress(frame.headerBlock);
        if (frame.flags & FLAG_FIN) this.streams.get(frame.streamId)?.finish('FIN on HEADERS');
        break;
      case 'syn_stream':
        decodeHeaderBlock(this.decompressor.decompress(frame.headerBlock));
        this.send(encodeRstStream(frame.streamId, RstStatus.REFUSED_STREAM));
        break;
      case 'rst_stream':
        this.streams.get(frame.streamId)?.finish(`RST_STREAM status ${frame.status}`);
        break;
      case 'ping':
        if (frame.id % 2 === 0) this.send(encodePing(frame.id)); // server-initiated ping ids are even
        break;
      default:
        break; // SETTINGS, WINDOW_UPDATE, GOAWAY (the close follows), unknown types: nothing to do
    }
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.finish('connection closed');
    this.onClose(this.failure);
  }
}
