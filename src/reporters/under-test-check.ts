// Verdict honesty, read from a run's call log: every test under `rpc('X')` whose body ran to a
// verdict (passed or failed) called X itself as the call under test, in its body or in a fixture
// it started. A test that only reads what another test's call made proves nothing about X.
import type { CallRecord } from '../client/call-log.js';

export interface TestWithRpc {
  fullTitle: string;
  outcome: string;
  /** The RPC of the test's `rpc('X')` describe (results.json `rpc`). */
  rpc?: string;
  /** The request field path the test is about (results.json `feature`). */
  feature?: string;
}

/** The tests under rpc('X') with a verdict that made no call of X as their call under test. */
export function testsWithoutTheirCall(tests: readonly TestWithRpc[], calls: readonly CallRecord[]): TestWithRpc[] {
  const called = new Set<string>();
  for (const c of calls) if (c.role === 'under-test' && !c.hook) called.add(`${c.test}\u0000${c.rpc}`);
  return tests.filter(
    (t) =>
      t.rpc !== undefined &&
      (t.outcome === 'passed' || t.outcome === 'failed') &&
      !called.has(`${t.fullTitle}\u0000${t.rpc}`),
  );
}

/**
 * The tests with a declared feature and a verdict whose calls under test of their RPC never set
 * that field: the junit.xml `feature` property of such a test would name something it did not test.
 */
export function testsWithoutTheirFeature(tests: readonly TestWithRpc[], calls: readonly CallRecord[]): TestWithRpc[] {
  const set = new Set<string>();
  for (const c of calls)
    if (c.role === 'under-test' && !c.hook) for (const f of c.fields) set.add(`${c.test}\u0000${c.rpc}\u0000${f}`);
  return tests.filter(
    (t) =>
      t.rpc !== undefined &&
      t.feature !== undefined &&
      (t.outcome === 'passed' || t.outcome === 'failed') &&
      !set.has(`${t.fullTitle}\u0000${t.rpc}\u0000${t.feature}`),
  );
}
