import { expect } from 'chai';
import { parseCriLog, RFC3339_NANO, streamLines } from './cri-log.js';

describe('CRI log format helpers', function () {
  const text = [
    '2026-11-27T17:51:51.123456789Z stdout P abc',
    '2026-11-27T17:51:51.223456789Z stderr F oops: a b ',
    '2026-11-27T17:51:51.323456789+01:00 stdout F def',
    'garbage',
    '',
  ].join('\n');

  it('splits entries into timestamp, stream, tag and content (spaces in content kept)', function () {
    const entries = parseCriLog(text);
    expect(entries.map((e) => [e.stream, e.tag, e.content])).to.deep.equal([
      ['stdout', 'P', 'abc'],
      ['stderr', 'F', 'oops: a b '],
      ['stdout', 'F', 'def'],
      ['', '', ''],
    ]);
    expect(entries[3].raw).to.equal('garbage');
  });

  it('joins P entries up to the next F of the same stream', function () {
    const entries = parseCriLog(text);
    expect(streamLines(entries, 'stdout')).to.deep.equal(['abcdef']);
    expect(streamLines(entries, 'stderr')).to.deep.equal(['oops: a b ']);
  });

  it('accepts RFC3339Nano timestamps and rejects others', function () {
    expect(RFC3339_NANO.test('2026-11-27T17:51:51.123456789Z')).to.equal(true);
    expect(RFC3339_NANO.test('2026-11-27T17:51:51+02:00')).to.equal(true);
    expect(RFC3339_NANO.test('2026-11-27 17:51:51Z')).to.equal(false);
    expect(RFC3339_NANO.test('1764265911')).to.equal(false);
  });
});
