// The end of every run that reached the runtime check, also a failing, partial or interrupted
// one: the side files of the run's processes are folded into the results, the known failures
// applied, every report written and the run directory removed.
import { rmSync } from 'node:fs';
import { readRunEvents } from '../framework/run/run-events.js';
import type { RunResults } from '../reporters/results.js';
import type { Coverage } from '../reporters/coverage.js';
import { applyKnownFailures } from '../reporters/known-failures.js';
import { say } from '../common/say.js';

// mocha and the report writers (junit-report-builder, xmlbuilder) take a few hundred ms to load:
// they are loaded after the first RPC, so a run reaches the runtime sooner.
type ReportsModule = typeof import('../reporters/write-reports.js');
let reportsModule: ReportsModule | undefined;
export async function loadReports(): Promise<ReportsModule> {
  reportsModule ??= await import('../reporters/write-reports.js');
  return reportsModule;
}

/** Where a run keeps its files, and the known failures it is judged with. */
export interface RunFiles {
  reportDir: string;
  runDir: string;
  known: Map<string, string>;
}

/**
 * Folds the side files of the run into the results, applies the known failures, writes every
 * report and removes the run dir. Returns the coverage and what still fails the run.
 */
export function finish(
  results: RunResults,
  files: RunFiles,
): { coverage?: Coverage; unexpected: RunResults['tests']; stale: RunResults['tests'] } {
  const { reportDir, runDir, known } = files;
  results.finishedAt = new Date();
  foldRunEvents(results, runDir);
  const verdict = applyKnownFailures(results.tests, known);
  let coverage: Coverage | undefined;
  try {
    if (!reportsModule) throw new Error('the report writers were not loaded');
    coverage = reportsModule.writeReports(results, reportDir, runDir);
  } catch (err) {
    say(`warning: could not write reports to ${reportDir}: ${(err as Error).message}`);
  }
  rmSync(runDir, { recursive: true, force: true });
  return { coverage, unexpected: verdict.unexpected, stale: verdict.stale };
}

/** Skip reasons and start times join their tests; each failed cleanup becomes a `[cleanup]` case. */
function foldRunEvents(results: RunResults, runDir: string): void {
  const events = readRunEvents(runDir);
  const reasons = new Map<string, string>();
  for (const e of events) if (e.kind === 'skip') reasons.set(e.test, e.reason);
  const starts = new Map<string, { pid: number; startedAt: number; rpc?: string; id?: string; feature?: string }>();
  for (const e of events) if (e.kind === 'test-start') starts.set(e.test, e);
  for (const t of results.tests) {
    if (t.outcome === 'skipped' && !t.message) t.message = reasons.get(t.fullTitle) ?? 'skipped (no reason recorded)';
    const start = starts.get(t.fullTitle);
    if (start)
      Object.assign(
        t,
        { startedAt: start.startedAt, pid: start.pid },
        start.rpc ? { rpc: start.rpc } : {},
        start.id ? { id: start.id } : {},
        start.feature ? { feature: start.feature } : {},
      );
  }
  for (const e of events) {
    if (e.kind !== 'cleanup-failure') continue;
    const owner = results.tests.find((t) => t.fullTitle === e.test);
    results.tests.push({
      file: owner?.file ?? 'cri-conformance',
      titlePath: [...(owner?.titlePath.slice(0, -1) ?? []), `[cleanup] ${owner?.titlePath.at(-1) ?? e.test}`],
      fullTitle: `[cleanup] ${e.test}`,
      outcome: 'failed',
      durationMs: 0,
      message: e.message,
    });
  }
}
