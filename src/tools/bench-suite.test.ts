import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { inside, parseCritestSummary, timeInside } from './bench-suite.js';

function call(startedAt: number, durationMs: number, more: Partial<CallRecord> = {}): CallRecord {
  return {
    rpc: 'X',
    service: 'RuntimeService',
    fields: [],
    code: 0,
    codeName: 'OK',
    startedAt,
    durationMs,
    test: 't',
    role: 'setup',
    stream: false,
    pid: 1,
    ...more,
  };
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

  it('counts only what falls within the window when given one', function () {
    expect(timeInside([call(0, 10), call(20, 20)], 5, 30)).to.equal(15);
  });
});

describe('inside', function () {
  const test = { file: 'specs/x.spec.ts', fullTitle: 't', outcome: 'passed' as const, durationMs: 100 };

  it('counts, within the test body, every call its process had in flight, whichever test made it', function () {
    const body = { ...test, startedAt: new Date(1_000).toISOString(), pid: 1 };
    const calls = [
      call(900, 150, { test: 'earlier test' }), // a fixture made before, awaited by this test: 50 ms inside the body
      call(1_060, 10), // the body's own call
      call(1_095, 50, { hook: true }), // cleanup after the body: 5 ms inside
      call(1_020, 30, { pid: 2 }), // another worker
    ];
    expect(inside(body, calls)).to.equal(65);
  });

  it('without the start of the body, counts the calls made in it, at most its duration', function () {
    expect(inside(test, [call(0, 30), call(40, 20, { hook: true }), call(50, 10, { test: 'other' })])).to.equal(30);
    expect(inside(test, [call(0, 300)])).to.equal(100);
  });
});

describe('parseCritestSummary', function () {
  it("reads the specs run and the passed and failed counts of ginkgo's summary", function () {
    const output =
      'critest version: 1.26.1\n…\nRan 80 of 85 Specs in 77.793 seconds\nFAIL! -- 78 Passed | 2 Failed | 0 Pending | 5 Skipped\n';
    expect(parseCritestSummary(output)).to.deep.equal({ tests: 80, passed: 78, failed: 2 });
    expect(
      parseCritestSummary(
        'Ran 1 of 85 Spec in 0.5 seconds\nSUCCESS! -- 1 Passed | 0 Failed | 0 Pending | 84 Skipped\n',
      ),
    ).to.deep.equal({ tests: 1, passed: 1, failed: 0 });
  });

  it('is undefined when critest ended before its summary (a usage error, a crash)', function () {
    expect(parseCritestSummary('Ginkgo detected configuration issues:\nUse of go test -parallel\n')).to.equal(
      undefined,
    );
  });
});
