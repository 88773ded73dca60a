import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyKnownFailures, KnownFailuresError, loadKnownFailures } from './known-failures.js';
import type { TestResult } from './results.js';

const dir = mkdtempSync(join(tmpdir(), 'crit-known-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (text: string): string => {
  const f = join(dir, `${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(f, text);
  return f;
};
const t = (fullTitle: string, outcome: TestResult['outcome']): TestResult => ({
  file: 'f',
  titlePath: [fullTitle],
  fullTitle,
  outcome,
  durationMs: 0,
});

describe('known failures', function () {
  it('reads a list of {test, reason} and a mapping', function () {
    expect([...loadKnownFailures(file('- test: A b\n  reason: containerd 1.6 bug\n'))]).to.deep.equal([
      ['A b', 'containerd 1.6 bug'],
    ]);
    expect([...loadKnownFailures(file('"A b": why\n'))]).to.deep.equal([['A b', 'why']]);
  });
  it('rejects entries without a reason and unreadable files', function () {
    expect(() => loadKnownFailures(file('- test: A\n'))).to.throw(
      KnownFailuresError,
      /entry 1 needs a string "test" and a non-empty "reason"/,
    );
    expect(() => loadKnownFailures('/nonexistent.yaml')).to.throw(KnownFailuresError, /ENOENT/);
  });
  it('passes listed failures, fails new failures and listed tests that now pass', function () {
    const tests = [
      t('listed fails', 'failed'),
      t('new failure', 'error'),
      t('listed passes', 'passed'),
      t('ok', 'passed'),
    ];
    const known = new Map([
      ['listed fails', 'bug 1'],
      ['listed passes', 'bug 2'],
      ['not run', 'bug 3'],
    ]);
    const v = applyKnownFailures(tests, known);
    expect(tests[0].knownFailure).to.equal('bug 1');
    expect(v.unexpected.map((x) => x.fullTitle)).to.deep.equal(['new failure']);
    expect(v.stale.map((x) => x.fullTitle)).to.deep.equal(['listed passes']);
  });
});
