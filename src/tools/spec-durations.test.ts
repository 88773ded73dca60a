import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import type { ResultsFile } from '../reporters/results-json.js';
import { specSeconds } from './spec-durations.js';

function call(pid: number, test: string, startedAt: number, durationMs: number): CallRecord {
  return {
    rpc: 'X',
    service: 'RuntimeService',
    fields: [],
    code: 0,
    codeName: 'OK',
    startedAt,
    durationMs,
    test,
    role: 'setup',
    stream: false,
    pid,
  };
}

function results(tests: [file: string, title: string][]): ResultsFile {
  return {
    tests: tests.map(([file, fullTitle]) => ({ file, fullTitle, outcome: 'passed', durationMs: 0 })),
  } as unknown as ResultsFile;
}

describe('specSeconds', function () {
  const run = results([
    ['specs/a.spec.ts', 'A one'],
    ['specs/a.spec.ts', 'A two [serial]'],
    ['specs/b.spec.ts', 'B one'],
  ]);

  it('adds the time inside calls per file, counting overlaps once', function () {
    const seconds = specSeconds(run, [
      call(1, 'A one', 0, 1000),
      call(1, 'A one', 500, 1000),
      call(2, 'B one', 0, 300),
    ]);
    expect(seconds).to.deep.equal({ a: 1.5, b: 0.3 });
  });

  it('gives calls outside tests to the next file of the same worker, and leaves out [serial] tests', function () {
    const seconds = specSeconds(run, [
      call(1, '', 0, 400),
      call(1, 'A one', 1000, 100),
      call(2, '', 0, 700),
      call(1, 'A two [serial]', 5000, 900),
    ]);
    expect(seconds).to.deep.equal({ a: 0.5, b: 0 });
  });
});
