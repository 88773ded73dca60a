import { expect } from 'chai';
import {
  decodeChannelFrame,
  encodeChannelFrame,
  encodeCloseSignal,
  encodeTerminalSize,
  FramingError,
  hasCloseSignal,
  portChannels,
  splitPortPrefix,
} from './channel-codec.js';
import { describeStatus, parseExitStatus } from './status.js';

describe('channel codec (WebSocket channel.k8s.io framing)', function () {
  it('prefixes the payload with the channel byte', function () {
    expect(encodeChannelFrame(0, 'hi').toString('hex')).to.equal('006869');
    expect(encodeChannelFrame(4, Buffer.from([0xff, 0x00])).toString('hex')).to.equal('04ff00');
    expect(encodeChannelFrame(1).toString('hex')).to.equal('01');
  });
  it('rejects a channel that is not a byte', function () {
    expect(() => encodeChannelFrame(256, 'x')).to.throw(FramingError, 'channel 256 is not a byte');
  });
  it('splits a message into channel and payload, also an empty stream-open message', function () {
    const f = decodeChannelFrame(Buffer.from('0268656c6c6f', 'hex'));
    expect(f.channel).to.equal(2);
    expect(f.payload.toString()).to.equal('hello');
    expect(decodeChannelFrame(Buffer.from([1])).payload.length).to.equal(0);
    expect(() => decodeChannelFrame(Buffer.alloc(0))).to.throw(FramingError, 'empty WebSocket message');
  });
  it('encodes the v5 close signal as [255, channel], known only to v5', function () {
    expect(encodeCloseSignal(0).toString('hex')).to.equal('ff00');
    expect(hasCloseSignal('v5.channel.k8s.io')).to.equal(true);
    expect(hasCloseSignal('v4.channel.k8s.io')).to.equal(false);
  });
  it('encodes a resize as the TerminalSize JSON kubelet decodes', function () {
    expect(encodeTerminalSize(101, 41).toString()).to.equal('{"Width":101,"Height":41}');
  });
  it('maps the i-th port to data channel 2i and error channel 2i+1, and reads the little-endian port prefix', function () {
    expect(portChannels(0)).to.deep.equal({ data: 0, error: 1 });
    expect(portChannels(2)).to.deep.equal({ data: 4, error: 5 });
    const { port, rest } = splitPortPrefix(Buffer.from('5000474554', 'hex'));
    expect(port).to.equal(80);
    expect(rest.toString()).to.equal('GET');
    expect(splitPortPrefix(Buffer.from([0x91, 0x1f])).port).to.equal(8081);
    expect(() => splitPortPrefix(Buffer.from([0x50]))).to.throw(FramingError, 'expected a 2-byte port prefix');
  });
});

describe('exit status (error channel)', function () {
  it('reads Success as exit 0', function () {
    expect(parseExitStatus('{"metadata":{},"status":"Success"}')).to.deep.equal({
      success: true,
      exitCode: 0,
      message: '',
    });
  });
  it('reads the code of a NonZeroExitCode failure', function () {
    const s = parseExitStatus(
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
    expect(s).to.deep.equal({ success: false, exitCode: 3, message: 'command terminated with non-zero exit code' });
    expect(describeStatus(s)).to.equal('exit 3');
  });
  it('keeps other failures and plain-text (v1-v3) errors as messages without a code', function () {
    expect(
      parseExitStatus('{"status":"Failure","message":"container not found","reason":"InternalError"}'),
    ).to.deep.equal({ success: false, exitCode: undefined, message: 'container not found' });
    expect(parseExitStatus('error executing command')).to.deep.equal({
      success: false,
      exitCode: undefined,
      message: 'error executing command',
    });
  });
  it('reports nothing for an empty error channel', function () {
    expect(parseExitStatus(Buffer.alloc(0))).to.equal(undefined);
    expect(describeStatus(undefined)).to.equal('none');
  });
});
