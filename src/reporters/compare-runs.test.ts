import { expect } from 'chai';
import { compareResults, formatComparison } from './compare-runs.js';
import { RESULTS_SCHEMA, type ResultsFile } from './results-json.js';

const run = (id: string, tests: [string, ResultsFile['tests'][number]['outcome']][]): ResultsFile => ({
  schema: RESULTS_SCHEMA,
  runId: id,
  startedAt: '',
  interrupted: false,
  properties: { 'runtime.name': 'containerd', 'runtime.version': id },
  counts: { passed: 0, failed: 0, error: 0, skipped: 0 },
  tests: tests.map(([fullTitle, outcome]) => ({ file: 'f', fullTitle, outcome, durationMs: 0 })),
});

describe('compareResults', function () {
  it('lists regressions, fixes, new and vanished tests', function () {
    const a = run('1.6', [
      ['keeps passing', 'passed'],
      ['breaks', 'passed'],
      ['loses feature', 'passed'],
      ['gets fixed', 'failed'],
      ['removed', 'passed'],
    ]);
    const b = run('1.7', [
      ['keeps passing', 'passed'],
      ['breaks', 'failed'],
      ['loses feature', 'skipped'],
      ['gets fixed', 'passed'],
      ['added', 'passed'],
    ]);
    const c = compareResults(a, b);
    expect(c.regressed.map((r) => r.title)).to.deep.equal(['breaks', 'loses feature']);
    expect(c.fixed.map((r) => r.title)).to.deep.equal(['gets fixed']);
    expect(c.appeared.map((r) => r.title)).to.deep.equal(['added']);
    expect(c.vanished.map((r) => r.title)).to.deep.equal(['removed']);
    expect(formatComparison(c, a, b)).to.include('regressed: 2\n  breaks [passed → failed]');
  });
});
