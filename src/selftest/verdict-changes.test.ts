import { expect } from 'chai';
import { verdictChanges } from './verdict-changes.js';

describe('verdictChanges', function () {
  const run = (outcome: string, knownFailure?: string) => ({
    tests: [
      { fullTitle: 'A b c', outcome, knownFailure },
      { fullTitle: 'A b d', outcome: 'passed' },
    ],
  });

  it('reports a test that passed in one run and failed in another', function () {
    expect(verdictChanges([run('passed'), run('failed'), run('passed')])).to.deep.equal([
      { title: 'A b c', verdicts: ['passed', 'failed', 'passed'] },
    ]);
  });

  it('reports nothing when every verdict stayed the same, known failures included', function () {
    expect(verdictChanges([run('failed', 'listed'), run('failed', 'listed')])).to.deep.equal([]);
  });

  it('reports a test that vanished from a run', function () {
    expect(verdictChanges([run('passed'), { tests: [{ fullTitle: 'A b d', outcome: 'passed' }] }])).to.deep.equal([
      { title: 'A b c', verdicts: ['passed', 'absent'] },
    ]);
  });
});
