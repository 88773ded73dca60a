import { expect } from 'chai';
import { failureRecap, type TestResult } from './results.js';

const t = (fullTitle: string, outcome: TestResult['outcome'], message?: string): TestResult => ({
  file: 'f',
  titlePath: [fullTitle],
  fullTitle,
  outcome,
  durationMs: 0,
  message,
});

describe('failure recap', function () {
  it('says nothing for a run without unexpected failures', function () {
    expect(failureRecap([])).to.deep.equal([]);
  });
  it('names each failed and errored test with the first line of its message', function () {
    expect(
      failureRecap([
        t('Stats PodSandboxStats counts the processes', 'failed', '\nexpected 0 >= 1\n    at stack'),
        t('Container CreateContainer creates', 'error', 'before all hook: UNAVAILABLE'),
      ]),
    ).to.deep.equal([
      '2 unexpected failures (the reports have each whole message):',
      '  failed: Stats PodSandboxStats counts the processes: expected 0 >= 1',
      '  error: Container CreateContainer creates: before all hook: UNAVAILABLE',
    ]);
  });
  it('cuts a long message line and says when there is none', function () {
    const [head, line] = failureRecap([t('A b', 'failed', 'x'.repeat(400))]);
    expect(head).to.equal('1 unexpected failure (the reports have each whole message):');
    expect(line).to.equal(`  failed: A b: ${'x'.repeat(300)}…`);
    expect(failureRecap([t('A b', 'failed', `   ${'y'.repeat(300)}`)])[1]).to.equal(
      `  failed: A b: ${'y'.repeat(300)}`,
    );
    expect(failureRecap([t('A b', 'failed')])[1]).to.equal('  failed: A b: no message');
    expect(failureRecap([t('A b', 'failed', ' \n \n')])[1]).to.equal('  failed: A b: no message');
  });
});
