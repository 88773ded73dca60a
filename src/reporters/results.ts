// The outcome of every test of a run, as the reporter saw it; what the report writers read.

export type Outcome = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestResult {
  /** Spec file relative to the suite root, e.g. `specs/runtime-info.spec.js`. */
  file: string;
  /** describe titles, outermost first, then the test title. */
  titlePath: string[];
  fullTitle: string;
  outcome: Outcome;
  durationMs: number;
  /** Failure or error message (assertion text with the RPC error), or skip reason. */
  message?: string;
  /** Stack or details for failures and errors. */
  details?: string;
  /** Set when --known-failures lists this failing test: the reason given there. */
  knownFailure?: string;
  /** When the test's body began, ms since the epoch, and the process that ran it (when known). */
  startedAt?: number;
  pid?: number;
  /** The RPC of the test's `rpc('X')` describe: its call under test (when its body ran). */
  rpc?: string;
  /** The test's stable id (itId), when it has one and its body ran. */
  id?: string;
  /** The request field path the test is about (its rpc describe's or itId's `feature`), when its body ran. */
  feature?: string;
}

export interface RunResults {
  runId: string;
  startedAt: Date;
  finishedAt?: Date;
  interrupted: boolean;
  tests: TestResult[];
  properties: Record<string, string>;
}

export function countOutcomes(tests: readonly TestResult[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const t of tests) counts[t.outcome] += 1;
  return counts;
}

/** Longest message line a recap prints; the reports carry the whole message. */
const RECAP_MESSAGE_CHARS = 300;

/**
 * The closing recap of a run's unexpected failures and errors, one line each, so that the end of a
 * long log (a CI job's tail) names what failed without scrolling back to it:
 * `  failed: Container CreateContainer creates … : CreateContainer(…) failed: INVALID_ARGUMENT …`.
 */
export function failureRecap(tests: readonly TestResult[]): string[] {
  if (tests.length === 0) return [];
  const lines = tests.map((t) => {
    const first = (t.message ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '');
    const shown = !first
      ? 'no message'
      : first.length > RECAP_MESSAGE_CHARS
        ? `${first.slice(0, RECAP_MESSAGE_CHARS)}…`
        : first;
    return `  ${t.outcome === 'error' ? 'error' : 'failed'}: ${t.fullTitle}: ${shown}`;
  });
  return [
    `${tests.length} unexpected ${tests.length === 1 ? 'failure' : 'failures'} (the reports have each whole message):`,
    ...lines,
  ];
}
