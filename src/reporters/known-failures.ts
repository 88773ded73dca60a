// --known-failures FILE: tests expected to fail on this runtime, each with a reason. The run
// passes when its only failures are listed; a listed test that passes fails the run, so the
// list stays true.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { TestResult } from './results.js';

export class KnownFailuresError extends Error {
  override name = 'KnownFailuresError';
}

/** Reads `- test: <full title>\n  reason: <why>` entries (or a mapping title → reason). */
export function loadKnownFailures(path: string): Map<string, string> {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new KnownFailuresError(`cannot read known-failures file ${path}: ${e.code ?? e.message.split('\n')[0]}`);
  }
  const known = new Map<string, string>();
  if (data === null || data === undefined) return known;
  if (Array.isArray(data)) {
    for (const [i, entry] of data.entries()) {
      const e = entry as { test?: unknown; reason?: unknown };
      if (typeof e?.test !== 'string' || typeof e.reason !== 'string' || e.reason.trim() === '') {
        throw new KnownFailuresError(
          `known-failures file ${path}: entry ${i + 1} needs a string "test" and a non-empty "reason"`,
        );
      }
      known.set(e.test, e.reason);
    }
  } else if (typeof data === 'object') {
    for (const [test, reason] of Object.entries(data)) {
      if (typeof reason !== 'string' || reason.trim() === '')
        throw new KnownFailuresError(`known-failures file ${path}: "${test}" needs a reason`);
      known.set(test, reason);
    }
  } else {
    throw new KnownFailuresError(`known-failures file ${path} must be a list of {test, reason} or a mapping`);
  }
  return known;
}

export interface KnownFailureVerdict {
  /** Failures not in the list. */
  unexpected: TestResult[];
  /** Listed tests that passed: the list is stale. */
  stale: TestResult[];
}

/** Marks the listed failures and returns what should still fail the run. */
export function applyKnownFailures(tests: TestResult[], known: Map<string, string>): KnownFailureVerdict {
  const verdict: KnownFailureVerdict = { unexpected: [], stale: [] };
  for (const t of tests) {
    const reason = known.get(t.fullTitle);
    const failed = t.outcome === 'failed' || t.outcome === 'error';
    if (failed && reason) t.knownFailure = reason;
    else if (failed) verdict.unexpected.push(t);
    else if (reason && t.outcome === 'passed') verdict.stale.push(t);
  }
  return verdict;
}
