import { expect } from 'chai';
import { FramingError } from './channel-codec.js';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  FrameParser,
  RstStatus,
} from './spdy-frames.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('SPDY/3 frames', function () {
  it('encodes SYN_STREAM: control bit, version 3, type 1, flags, length, ids, priority, header block', function () {
    expect(hex(encodeSynStream(1, Buffer.from('abcd'), {}))).to.equal(
      '80030001' + '0000000e' + '00000001' + '00000000' + '0000' + '61626364',
    );
    expect(hex(encodeSynStream(3, Buffer.alloc(0), { fin: true, unidirectional: true, priority: 7 }))).to.equal(
      '80030001' + '0300000a' + '00000003' + '00000000' + 'e000',
    );
  });
  it('encodes DATA with the stream id and FIN flag, and an empty FIN for half-close', function () {
    expect(hex(encodeData(5, Buffer.from('hi')))).to.equal('00000005' + '00000002' + '6869');
    expect(hex(encodeData(5, Buffer.alloc(0), true))).to.equal('00000005' + '01000000');
  });
  it('encodes RST_STREAM, PING and GOAWAY', function () {
    expect(hex(encodeRstStream(7, RstStatus.CANCEL))).to.equal('80030003' + '00000008' + '00000007' + '00000005');
    expect(hex(encodePing(2))).to.equal('80030006' + '00000004' + '00000002');
    expect(hex(encodeGoAway(9))).to.equal('80030007' + '00000008' + '00000009' + '00000000');
  });
  it('refuses a stream id beyond 31 bits', function () {
    expect(() => encodeData(0x80000000, Buffer.alloc(0))).to.throw(FramingError, 'not a 31-bit number');
  });
  it('parses frames split across chunks and several frames in one chunk', function () {
    const bytes = Buffer.concat([
      encodeSynReply(1, Buffer.from('xy'), true),
      encodeData(1, Buffer.from('hello')),
      encodePing(4),
    ]);
    const parser = new FrameParser();
    expect(parser.push(bytes.subarray(0, 5))).to.deep.equal([]);
    const frames = [...parser.push(bytes.subarray(5, 20)), ...parser.push(bytes.subarray(20))];
    expect(frames).to.deep.equal([
      { type: 'syn_reply', streamId: 1, flags: 1, headerBlock: Buffer.from('xy') },
      { type: 'data', streamId: 1, flags: 0, payload: Buffer.from('hello') },
      { type: 'ping', id: 4 },
    ]);
    expect(parser.buffered).to.equal(0);
  });
  it('parses SETTINGS, RST_STREAM, GOAWAY and WINDOW_UPDATE', function () {
    const settings = Buffer.from(
      '80030004' + '00000014' + '00000002' + '01000004' + '00010000' + '00000007' + '00000064',
      'hex',
    );
    const window = Buffer.from('80030009' + '00000008' + '00000003' + '00001000', 'hex');
    const frames = new FrameParser().push(Buffer.concat([settings, encodeRstStream(3, 2), encodeGoAway(5, 1), window]));
    expect(frames).to.deep.equal([
      {
        type: 'settings',
        flags: 0,
        entries: [
          { flags: 1, id: 4, value: 65536 },
          { flags: 0, id: 7, value: 100 },
        ],
      },
      { type: 'rst_stream', streamId: 3, status: 2 },
      { type: 'goaway', lastGoodStreamId: 5, status: 1 },
      { type: 'window_update', streamId: 3, delta: 4096 },
    ]);
  });
  it('rejects a control frame of another SPDY version', function () {
    expect(() => new FrameParser().push(Buffer.from('80020002000000040000000100', 'hex'))).to.throw(
      FramingError,
      'version 2, expected 3',
    );
  });
});
