// SPDY/3 framing (the version Kubernetes' "SPDY/3.1" upgrade speaks): encoders for the frames a
// client sends and an incremental parser for what a server sends. Pure, no sockets.
//
// Control frame: |1|version(15)|type(16)|flags(8)|length(24)|body
// Data frame:    |0|stream id(31)|flags(8)|length(24)|payload
import { FramingError } from './channel-codec.js';

export const SPDY_VERSION = 3;
export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;
export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
} as const;
/** The largest payload one frame can carry (24-bit length). */
export const MAX_FRAME_LENGTH = 0xffffff;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; payload: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { id: number; flags: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number; flags: number; payload: Buffer };

function header(first: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_LENGTH)
    throw new FramingError(`SPDY frame payload of ${length} bytes exceeds ${MAX_FRAME_LENGTH}`);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(first >>> 0, 0);
  h.writeUInt32BE((((flags & 0xff) << 24) | length) >>> 0, 4);
  return h;
}

function control(type: number, flags: number, body: Buffer): Buffer {
  return Buffer.concat([header(((0x8000 | SPDY_VERSION) << 16) | type, flags, body.length), body]);
}

function u31(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new FramingError(`stream id ${n} is not a 31-bit number`);
  return n;
}

export function encodeSynStream(
  streamId: number,
  headerBlock: Buffer,
  opts: { fin?: boolean; unidirectional?: boolean; priority?: number } = {},
): Buffer {
  const body = Buffer.alloc(10);
  body.writeUInt32BE(u31(streamId), 0);
  body.writeUInt32BE(0, 4); // associated-to stream id: none
  body.writeUInt8(((opts.priority ?? 0) & 0x7) << 5, 8);
  body.writeUInt8(0, 9); // credential slot
  const flags = (opts.fin ? FLAG_FIN : 0) | (opts.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
  return control(FrameType.SYN_STREAM, flags, Buffer.concat([body, headerBlock]));
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(u31(streamId), 0);
  return control(FrameType.SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([id, headerBlock]));
}

export function encodeData(streamId: number, payload: Buffer, fin = false): Buffer {
  return Buffer.concat([header(u31(streamId), fin ? FLAG_FIN : 0, payload.length), payload]);
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(u31(streamId), 0);
  body.writeUInt32BE(status, 4);
  return control(FrameType.RST_STREAM, 0, body);
}

export function encodePing(id: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id >>> 0, 0);
  return control(FrameType.PING, 0, body);
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(u31(lastGoodStreamId), 0);
  body.writeUInt32BE(status, 4);
  return control(FrameType.GOAWAY, 0, body);
}

function need(body: Buffer, n: number, what: string): void {
  if (body.length < n) throw new FramingError(`SPDY ${what} frame body has ${body.length} bytes, needs at least ${n}`);
}

function decodeControl(type: number, flags: number, body: Buffer): Frame {
  switch (type) {
    case FrameType.SYN_STREAM:
      need(body, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: body.readUInt32BE(0) & 0x7fffffff,
        associatedId: body.readUInt32BE(4) & 0x7fffffff,
        priority: body[8] >> 5,
        flags,
        headerBlock: body.subarray(10),
      };
    case FrameType.SYN_REPLY:
      need(body, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: body.subarray(4) };
    case FrameType.RST_STREAM:
      need(body, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(body, 4, 'SETTINGS');
      const count = body.readUInt32BE(0);
      need(body, 4 + count * 8, 'SETTINGS');
      const entries = Array.from({ length: count }, (_, i) => {
        const word = body.readUInt32BE(4 + i * 8);
        return { flags: word >>> 24, id: word & 0xffffff, value: body.readUInt32BE(8 + i * 8) };
      });
      return { type: 'settings', flags, entries };
    }
    case FrameType.PING:
      need(body, 4, 'PING');
      return { type: 'ping', id: body.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(body, 4, 'GOAWAY');
      return {
        type: 'goaway',
        lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff,
        status: body.length >= 8 ? body.readUInt32BE(4) : 0,
      };
    case FrameType.HEADERS:
      need(body, 4, 'HEADERS');
      return { type: 'headers', streamId: body.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: body.subarray(4) };
    case FrameType.WINDOW_UPDATE:
      need(body, 8, 'WINDOW_UPDATE');
      return {
        type: 'window_update',
        streamId: body.readUInt32BE(0) & 0x7fffffff,
        delta: body.readUInt32BE(4) & 0x7fffffff,
      };
    default:
      return { type: 'unknown', frameType: type, flags, payload: body };
  }
}

/** Splits a byte stream into frames; keeps a partial frame until the rest arrives. */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const first = this.pending.readUInt32BE(0);
      const second = this.pending.readUInt32BE(4);
      const length = second & 0xffffff;
      if (this.pending.length < 8 + length) break;
      const flags = second >>> 24;
      const body = this.pending.subarray(8, 8 + length);
      this.pending = this.pending.subarray(8 + length);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION)
          throw new FramingError(`SPDY control frame of version ${version}, expected ${SPDY_VERSION}`);
        frames.push(decodeControl(first & 0xffff, flags, body));
      } else {
        frames.push({ type: 'data', streamId: first & 0x7fffffff, flags, payload: Buffer.from(body) });
      }
    }
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get buffered(): number {
    return this.pending.length;
  }
}
