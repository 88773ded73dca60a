import { createHash } from 'node:crypto';
import { constants, deflateSync, inflateSync } from 'node:zlib';
import { expect } from 'chai';
import {
  adler32,
  decodeHeaderBlock,
  encodeHeaderBlock,
  HeaderCompressor,
  HeaderDecompressor,
  SPDY3_DICTIONARY,
} from './spdy-headers.js';

describe('SPDY/3 header blocks', function () {
  it('builds the 1423-byte SPDY/3 dictionary (sha256 and Adler-32 as in the draft-3 spec and spdystream)', function () {
    expect(SPDY3_DICTIONARY.length).to.equal(1423);
    expect(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex')).to.equal(
      '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02',
    );
    expect(adler32(SPDY3_DICTIONARY).toString(16)).to.equal('e3c6a7c2');
    expect(adler32(Buffer.from('Wikipedia')).toString(16)).to.equal('11e60398');
  });
  it('encodes count, then 32-bit length-prefixed lowercase names and values', function () {
    const block = encodeHeaderBlock([
      ['StreamType', 'error'],
      ['port', '80'],
    ]);
    expect(block.toString('hex')).to.equal(
      '00000002' +
        '0000000a' +
        Buffer.from('streamtype').toString('hex') +
        '00000005' +
        Buffer.from('error').toString('hex') +
        '00000004' +
        Buffer.from('port').toString('hex') +
        '00000002' +
        Buffer.from('80').toString('hex'),
    );
    expect(decodeHeaderBlock(block)).to.deep.equal(
      new Map([
        ['streamtype', ['error']],
        ['port', ['80']],
      ]),
    );
  });
  it('splits NUL-separated values and rejects a truncated block', function () {
    const block = encodeHeaderBlock([['x-stream-protocol-version', 'v4.channel.k8s.io\0v3.channel.k8s.io']]);
    expect(decodeHeaderBlock(block).get('x-stream-protocol-version')).to.deep.equal([
      'v4.channel.k8s.io',
      'v3.channel.k8s.io',
    ]);
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 1))).to.throw(
      'SPDY header block ends inside header value 0',
    );
  });
  it('compresses as a zlib stream naming the dictionary, one stored block plus sync-flush marker per header block', function () {
    const c = new HeaderCompressor();
    const block = encodeHeaderBlock([['streamtype', 'error']]);
    const first = c.compress(block);
    expect(first.subarray(0, 6).toString('hex'), 'zlib header with FDICT and the dictionary id').to.equal(
      '7820e3c6a7c2',
    );
    expect(first.subarray(6, 11).toString('hex'), 'stored block header: not final, LEN 27, NLEN').to.equal(
      '001b00e4ff',
    );
    expect(first.subarray(11, 11 + block.length).equals(block)).to.equal(true);
    expect(first.subarray(11 + block.length).toString('hex'), 'sync-flush marker').to.equal('000000ffff');
    const second = c.compress(block);
    expect(second.subarray(0, 5).toString('hex'), 'later blocks carry no zlib header').to.equal('001b00e4ff');
    const inflated = inflateSync(Buffer.concat([first, second]), {
      dictionary: SPDY3_DICTIONARY,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    expect(inflated.equals(Buffer.concat([block, block])), 'zlib inflates both blocks back').to.equal(true);
  });
  it("decompresses a peer's deflate stream block by block", function () {
    const a = encodeHeaderBlock([['streamtype', 'stdout']]);
    const b = encodeHeaderBlock([
      ['streamtype', 'stderr'],
      ['port', '8080'],
    ]);
    // One deflate stream with the dictionary, sync-flushed after each block, as a Go peer writes it.
    const whole = deflateSync(Buffer.concat([a, b]), {
      dictionary: SPDY3_DICTIONARY,
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    const streamA = deflateSync(a, { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    expect(whole.length).to.be.greaterThan(0);
    const d = new HeaderDecompressor();
    expect(decodeHeaderBlock(d.decompress(streamA))).to.deep.equal(new Map([['streamtype', ['stdout']]]));
    const d2 = new HeaderDecompressor();
    expect(d2.decompress(whole).equals(Buffer.concat([a, b]))).to.equal(true);
    expect(() => new HeaderDecompressor().decompress(Buffer.from('not zlib'))).to.throw(
      'SPDY header block does not inflate',
    );
  });
});
