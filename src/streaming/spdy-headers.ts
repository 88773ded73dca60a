// SPDY/3 header blocks: the name/value block layout, the zlib dictionary every SPDY/3 peer uses,
// and the two zlib contexts of a connection (one per direction, kept across frames).
//
// The compressor writes each header block as zlib *stored* (uncompressed) blocks, each block
// followed by a sync-flush marker, after one zlib stream header that names the SPDY dictionary: a valid zlib stream that any inflater with the
// dictionary reads, and one we can produce synchronously and check byte by byte. The
// decompressor inflates the server's stream, which is real deflate with the dictionary and a sync
// flush after every block.
import { constants, inflateSync } from 'node:zlib';
import { FramingError } from './channel-codec.js';

// The SPDY/3 dictionary (draft 3, section 2.6.10.1): these words, each after its length as a
// 32-bit big-endian number, then one run of common header values.
const DICTIONARY_WORDS = [
  'options',
  'head',
  'post',
  'put',
  'delete',
  'trace',
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'accept-ranges',
  'age',
  'allow',
  'authorization',
  'cache-control',
  'connection',
  'content-base',
  'content-encoding',
  'content-language',
  'content-length',
  'content-location',
  'content-md5',
  'content-range',
  'content-type',
  'date',
  'etag',
  'expect',
  'expires',
  'from',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-range',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'pragma',
  'proxy-authenticate',
  'proxy-authorization',
  'range',
  'referer',
  'retry-after',
  'server',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'user-agent',
  'vary',
  'via',
  'warning',
  'www-authenticate',
  'method',
  'get',
  'status',
  '200 OK',
  'version',
  'HTTP/1.1',
  'url',
  'public',
  'set-cookie',
  'keep-alive',
  'origin',
];
const DICTIONARY_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

export const SPDY3_DICTIONARY: Buffer = Buffer.concat([
  ...DICTIONARY_WORDS.flatMap((w) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(w.length, 0);
    return [len, Buffer.from(w, 'latin1')];
  }),
  Buffer.from(DICTIONARY_TAIL, 'latin1'),
]);

export function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export type HeaderList = [name: string, value: string][];

/** Uncompressed block: count, then length-prefixed lowercase names and values (32-bit lengths). */
export function encodeHeaderBlock(headers: HeaderList): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n, 0);
    return b;
  };
  parts.push(u32(headers.length));
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Names (lowercased) to values; a value holding NUL bytes is several values. */
export function decodeHeaderBlock(block: Buffer): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let at = 0;
  const read = (what: string): Buffer => {
    if (at + 4 > block.length) throw new FramingError(`SPDY header block ends inside the length of ${what}`);
    const len = block.readUInt32BE(at);
    at += 4;
    if (at + len > block.length)
      throw new FramingError(`SPDY header block ends inside ${what} (${len} bytes announced)`);
    const out = block.subarray(at, at + len);
    at += len;
    return out;
  };
  if (block.length < 4) throw new FramingError('SPDY header block shorter than its pair count');
  const count = block.readUInt32BE(0);
  at = 4;
  for (let i = 0; i < count; i++) {
    const name = read(`header name ${i}`).toString('utf8').toLowerCase();
    const values = read(`header value ${i}`).toString('utf8').split('\0');
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

const ZLIB_CMF = 0x78; // deflate, 32 KiB window
const ZLIB_FLG_FDICT = 0x20; // (0x78 << 8 | 0x20) % 31 === 0, so no check bits are needed
const MAX_STORED = 0xffff;
const SYNC_FLUSH_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** The client-to-server zlib context of one connection. */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      const id = Buffer.alloc(4);
      id.writeUInt32BE(adler32(SPDY3_DICTIONARY), 0);
      parts.push(Buffer.from([ZLIB_CMF, ZLIB_FLG_FDICT]), id);
    }
    for (let at = 0; at < block.length || (at === 0 && block.length === 0); at += MAX_STORED) {
      const piece = block.subarray(at, at + MAX_STORED);
      const head = Buffer.alloc(5);
      head.writeUInt8(0x00, 0); // BFINAL 0, BTYPE 00 (stored); the stream stays open
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      if (block.length === 0) break;
    }
    // What a zlib sync flush ends with: an empty stored block. Go's inflater hands out a block's
    // bytes only when it reaches the next block header, so without this the server would stall.
    parts.push(SYNC_FLUSH_MARKER);
    return Buffer.concat(parts);
  }
}

/** The server-to-client zlib context of one connection. */
export class HeaderDecompressor {
  private input: Buffer[] = [];
  private produced = 0;

  /** Feeds the next compressed header block and returns its uncompressed bytes. */
  decompress(chunk: Buffer): Buffer {
    this.input.push(chunk);
    let out: Buffer;
    try {
      // Re-inflating everything so far keeps this synchronous; a session has only a few blocks.
      out = inflateSync(Buffer.concat(this.input), {
        dictionary: SPDY3_DICTIONARY,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (err) {
      throw new FramingError(`SPDY header block does not inflate: ${(err as Error).message}`);
    }
    const fresh = out.subarray(this.produced);
    this.produced = out.length;
    return fresh;
  }
}
