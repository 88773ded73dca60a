// Verdict honesty over a real full run (issue #21): every test under rpc('X') that reached a
// verdict called X itself as its call under test, read from the run's calls.jsonl.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CallRecord } from '../client/call-log.js';
import type { ResultsFile } from '../reporters/results-json.js';
import { testsWithoutTheirCall, testsWithoutTheirFeature } from '../reporters/under-test-check.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const KNOWN_FAILURES = fileURLToPath(new URL('../../../specs/known-failures/containerd-2.1.yaml', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';

function readCalls(dir: string): CallRecord[] {
  return readFileSync(join(dir, 'calls.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CallRecord);
}

/**
 * The distinct calls under test credited to `test`, as sorted "RPC fields" lines: what coverage
 * counts. How often one of them repeats is not compared: a test that polls (ContainerStatus until
 * OOMKilled shows) makes as many calls as the runtime takes time.
 */
function underTestEntries(calls: readonly CallRecord[], test: string): string {
  const entries = calls
    .filter((c) => c.test === test && c.role === 'under-test')
    .map((c) => `${c.rpc} ${[...c.fields].sort().join(',')}`);
  return [...new Set(entries)].sort().join(' | ');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('verdict honesty over a full run', function () {
  before(function () {
    if (!endpoint) this.skip();
  });

  it('every test under rpc(X) with a verdict called X as its call under test', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'crit-honesty-'));
    try {
      await promisify(execFile)(
        process.execPath,
        [CLI, '--runtime-endpoint', endpoint, '--report-dir', dir, '--known-failures', KNOWN_FAILURES],
        { maxBuffer: 64 * 1024 * 1024 },
      ).catch(() => undefined); // the exit code is cli.e2e's concern; the call log is this test's
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
      const calls = readCalls(dir);
      expect(results.tests.filter((t) => t.rpc).length, 'tests with an rpc in results.json').to.be.greaterThan(200);
      const missing = testsWithoutTheirCall(results.tests, calls).map((t) => `${t.rpc}: ${t.fullTitle}`);
      expect(missing, 'tests under rpc(X) that made no call of X as their call under test').to.deep.equal([]);
      // The feature junit.xml names for a test is a field its own call under test set.
      expect(results.tests.filter((t) => t.feature).length, 'tests with a feature in results.json').to.be.greaterThan(
        50,
      );
      const featureless = testsWithoutTheirFeature(results.tests, calls).map(
        (t) => `${t.rpc}: ${t.fullTitle}: ${t.feature}`,
      );
      expect(featureless, 'tests whose calls under test did not set the feature they declare').to.deep.equal([]);

      // Coverage does not depend on order: a focused run of 10 of these tests (every n-th passed
      // test under an rpc, by title) credits each the same calls under test as the full run did.
      const candidates = results.tests
        .filter((t) => t.rpc && t.outcome === 'passed')
        .map((t) => t.fullTitle)
        .sort();
      const sample = candidates.filter((_t, i) => i % Math.floor(candidates.length / 10) === 0).slice(0, 10);
      const focusedDir = mkdtempSync(join(tmpdir(), 'crit-honesty-focused-'));
      try {
        await promisify(execFile)(
          process.execPath,
          [
            CLI,
            '--runtime-endpoint',
            endpoint,
            '--report-dir',
            focusedDir,
            ...sample.flatMap((t) => ['--focus', `^${escapeRegExp(t)}$`]),
          ],
          { maxBuffer: 64 * 1024 * 1024 },
        ).catch(() => undefined);
        const focused = readCalls(focusedDir);
        const focusedTests = (JSON.parse(readFileSync(join(focusedDir, 'results.json'), 'utf8')) as ResultsFile).tests;
        expect(focusedTests.map((t) => t.fullTitle).sort(), 'tests of the focused run').to.deep.equal(sample);
        const differ = sample.filter((t) => underTestEntries(calls, t) !== underTestEntries(focused, t));
        expect(
          differ.map(
            (t) => `${t}:\n  full run: ${underTestEntries(calls, t)}\n  focused:  ${underTestEntries(focused, t)}`,
          ),
          'tests whose calls under test differ between the full run and a focused run of 10',
        ).to.deep.equal([]);
      } finally {
        rmSync(focusedDir, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
