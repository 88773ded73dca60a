// Tests that a failed "before all" hook kept from running: mocha reports the hook's failure once
// and never reports the tests of its describe, which would then be missing from every report (a
// CI gate counting test cases would not see them). Each becomes an error that names the hook.
import type { TestResult } from './results.js';

const BEFORE_ALL = / "before all" hook\b/;

/** A selected test of the run (from listing the spec files): its spec file and full title. */
export interface ListedTest {
  file: string;
  titlePath: string[];
  fullTitle: string;
}

/** True when some result is a failed "before all" hook (so that listing the tests is worth it). */
export function hasFailedBeforeAll(tests: readonly TestResult[]): boolean {
  return tests.some((t) => t.outcome === 'error' && BEFORE_ALL.test(t.fullTitle));
}

/**
 * Replaces each failed "before all" hook that kept tests from running with one error per such
 * test, naming the hook and its message; a hook under which every test was reported stays.
 */
export function reportTestsUnderFailedHooks(tests: TestResult[], listed: readonly ListedTest[]): TestResult[] {
  const reported = new Set(tests.map((t) => `${t.file}\0${t.fullTitle}`));
  const out: TestResult[] = [];
  for (const t of tests) {
    const cut = t.outcome === 'error' ? t.fullTitle.search(BEFORE_ALL) : -1;
    if (cut < 0) {
      out.push(t);
      continue;
    }
    const describe = t.fullTitle.slice(0, cut);
    const kept = listed.filter(
      (l) => l.file === t.file && l.fullTitle.startsWith(`${describe} `) && !reported.has(`${l.file}\0${l.fullTitle}`),
    );
    if (kept.length === 0) {
      out.push(t);
      continue;
    }
    for (const l of kept) {
      reported.add(`${l.file}\0${l.fullTitle}`);
      out.push({
        file: l.file,
        titlePath: l.titlePath,
        fullTitle: l.fullTitle,
        outcome: 'error',
        durationMs: 0,
        message: `not run: the "before all" hook of "${describe}" failed: ${t.message ?? ''}`,
        details: t.details,
      });
    }
  }
  return out;
}
