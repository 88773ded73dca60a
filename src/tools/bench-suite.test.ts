import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { timeInside } from './bench-suite.js';

function call(startedAt: number, durationMs: number): CallRecord {
  return { rpc: 'X', service: 'RuntimeService', fields: [], code: 0, codeName: 'OK', startedAt, durationMs, test: 't', role: 'setup', stream: false, pid: 1 };
}

describe('timeInside', function () {
  it('adds disjoint calls and counts overlapping ones once', function () {
    expect(timeInside([call(0, 10), call(20, 5)])).to.equal(15);
    expect(timeInside([call(0, 10), call(5, 10)])).to.equal(15);
    expect(timeInside([call(5, 10), call(0, 30), call(40, 1)])).to.equal(31);
  });

  it('is 0 without calls', function () {
    expect(timeInside([])).to.equal(0);
  });
});
