// The conformance run from flags to exit code: resolve the endpoint, check it answers, run the
// specs, sweep, write reports. Reports are written for every run that reached the runtime check,
// also a failing, partial or interrupted one.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, waitForReady, UnreachableError, type CriClient } from '../client/cri-client.js';
import { DEFAULT_TIMEOUTS } from '../client/timeouts.js';
import { setContext, WORKER_POD_LABEL, type RunContext } from '../framework/run/context.js';
import { CatalogueError, defaultCatalogue, loadCatalogue, type ImageCatalogue } from '../framework/run/images.js';
import { inBackground } from '../framework/run/background.js';
import { appendRunEvent, readRunEvents } from '../framework/run/run-events.js';
import { removeLabelledPods, sweepRun } from '../framework/run/sweep.js';
import { countOutcomes, type RunResults } from '../reporters/results.js';
import { coverageSummary, type Coverage } from '../reporters/coverage.js';
import { applyKnownFailures, KnownFailuresError, loadKnownFailures } from '../reporters/known-failures.js';
import { compareResults, formatComparison } from '../reporters/compare-runs.js';
import { readResultsJson, ResultsFileError } from '../reporters/results-json.js';
import { TestbedError, withRuntime } from '../common/discover.js';
import { formatDuration } from '../common/duration.js';
import { treatSigtermAsSigint } from '../common/signals.js';
import type { RunningSuite } from './mocha-run.js';
import { formatFeatureTable } from '../framework/verdicts/features.js';
import { UsageError } from '../common/config-file.js';
import { HELP, parseCli, selectionRegExp, SERIAL_TAG, type CliOptions } from './options.js';

export const EXIT = { ok: 0, failures: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;
const CONNECT_TIMEOUT_MS = 10_000;

// mocha and the report writers (junit-report-builder, xmlbuilder) take a few hundred ms to load:
// they are loaded after the first RPC, so a run reaches the runtime sooner.
type ReportsModule = typeof import('../reporters/write-reports.js');
let reportsModule: ReportsModule | undefined;
async function loadReports(): Promise<ReportsModule> {
  reportsModule ??= await import('../reporters/write-reports.js');
  return reportsModule;
}

export function suiteVersion(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));
  return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'compare') return compareCommand(argv.slice(1));
  if (argv[0] === 'benchmark') {
    const { benchmarkCommand } = await import('../benchmark/command.js');
    return benchmarkCommand(argv.slice(1), suiteVersion());
  }
  let opts: CliOptions;
  let images: ImageCatalogue;
  let known: Map<string, string>;
  try {
    opts = parseCli(argv);
    images = opts.testImagesFile ? loadCatalogue(opts.testImagesFile) : defaultCatalogue();
    known = opts.knownFailuresFile ? loadKnownFailures(opts.knownFailuresFile) : new Map<string, string>();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CatalogueError || err instanceof KnownFailuresError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (opts.version) {
    process.stdout.write(`cri-conformance ${suiteVersion()} (CRI runtime.v1, cri-api v0.36.3)\n`);
    return EXIT.ok;
  }
  const grep = selectionRegExp(opts.focus, opts.skip);
  if (opts.list) {
    const { listTests } = await import('./mocha-run.js');
    for (const t of await listTests(grep)) process.stdout.write(`${t.title}\n`);
    process.stdout.write(formatFeatureTable());
    return EXIT.ok;
  }

  return withRuntime(opts.runtimeEndpoint, opts.imageEndpoint, say, (chosen) => runAgainst(opts, images, known, grep, chosen.runtimeEndpoint, chosen.imageEndpoint));
}

async function runAgainst(opts: CliOptions, images: ImageCatalogue, known: Map<string, string>, grep: RegExp | undefined, runtimeEndpoint: string, imageEndpoint: string): Promise<number> {
  const runId = randomBytes(4).toString('hex');
  const reportDir = resolve(opts.reportDir);
  const runDir = `${reportDir}/.run-${runId}`;
  mkdirSync(runDir, { recursive: true });
  const started = Date.now();
  const results: RunResults = {
    runId,
    startedAt: new Date(),
    interrupted: false,
    tests: [],
    properties: { 'suite.version': suiteVersion(), 'run.id': runId, 'runtime.endpoint': runtimeEndpoint, 'image.endpoint': imageEndpoint },
  };
  if (opts.require.length > 0) results.properties['features.required'] = opts.require.join(',');
  const timeouts = { ...DEFAULT_TIMEOUTS, defaultMs: opts.timeoutMs };
  const client = connect({ runtimeEndpoint, imageEndpoint, timeouts });
  try {
    await waitForReady(client, CONNECT_TIMEOUT_MS);
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    say(err.message);
    results.tests.push({ file: 'cri-conformance', titlePath: ['connect to the runtime'], fullTitle: 'connect to the runtime', outcome: 'error', durationMs: Date.now() - started, message: err.message });
    await loadReports();
    finish(results, reportDir, runDir, known);
    client.close();
    return EXIT.unreachable;
  }
  await describeRuntime(client, results);
  await loadReports();
  const { startMocha } = await import('./mocha-run.js');
  say(`run ${runId} against ${results.properties['runtime.name'] ?? 'runtime'} ${results.properties['runtime.version'] ?? ''} at ${runtimeEndpoint}; reports in ${reportDir}`);

  const context: RunContext = { runId, runtimeEndpoint, imageEndpoint, runtimeHandler: opts.runtimeHandler, timeouts, images, runDir, requiredFeatures: opts.require,
    streamingProtocols: opts.streamingProtocols };
  setContext(context);
  await sweepRun(client, runId);

  let interrupts = 0;
  let suite: RunningSuite | undefined;
  // mocha's parallel runner has its own SIGINT listener: it force-terminates the workers, then
  // sends SIGINT to this process once more. That echo is not the user's second Ctrl-C.
  let expectEcho = false;
  let wakeWait: (() => void) | undefined;
  const onSigint = (): void => {
    if (expectEcho) {
      expectEcho = false;
      wakeWait?.();
      return;
    }
    interrupts += 1;
    results.interrupted = true;
    if (interrupts === 1) {
      expectEcho = process.listenerCount('SIGINT') > 1;
      say(`\ninterrupted: stopping after the running test, removing what run ${runId} created (Ctrl-C again to exit at once)`);
      suite?.abort();
    } else {
      say(`interrupted twice: exiting now; objects labelled io.cri-conformance.run=${runId} may be left behind`);
      finish(results, reportDir, runDir, known);
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSigint);
  const restoreSigterm = treatSigtermAsSigint();
  let removingWorkerPods: Promise<void> | undefined;
  try {
    for (const phase of runPhases(opts)) {
      if (results.interrupted) break;
      suite = await startMocha({ grep: phase.grep, parallel: phase.parallel, testTimeoutMs: Math.max(timeouts.defaultMs * 3, 180_000), results });
      // After an interrupt, wait for the running test (and its cleanup) at most 10 s; the sweep
      // below removes whatever is still there. The timers keep the process alive meanwhile.
      await new Promise<void>((resolveWait) => {
        wakeWait = resolveWait;
        void suite!.done.then(resolveWait);
        const poll = setInterval(() => {
          if (results.interrupted) {
            clearInterval(poll);
            setTimeout(resolveWait, 10_000);
          }
        }, 100);
        void suite!.done.then(() => clearInterval(poll));
      });
      // The phase's worker pods go while the next phase begins: the [serial] tests that measure the
      // node at rest wait for that first (backgroundSettled).
      if (!results.interrupted) {
        const earlier = removingWorkerPods;
        removingWorkerPods = (async () => {
          await earlier;
          await removeWorkerPods(client, runId, runDir);
        })();
        inBackground(removingWorkerPods);
      }
    }
  } finally {
    await removingWorkerPods;
    const pulled = readRunEvents(runDir).flatMap((e) => (e.kind === 'pulled-image' ? [e.ref] : []));
    const sweep = await sweepRun(client, runId, pulled);
    if (sweep.pods + sweep.containers > 0) say(`swept ${sweep.pods} pod(s) and ${sweep.containers} container(s) left by run ${runId}`);
    for (const leak of sweep.leaks) say(`warning: could not remove ${leak}`);
    client.close();
    process.off('SIGINT', onSigint);
    restoreSigterm();
  }
  const { coverage, unexpected, stale } = finish(results, reportDir, runDir, known);
  const knownCount = results.tests.filter((t) => t.knownFailure).length;
  const counts = countOutcomes(results.tests.filter((t) => !t.knownFailure));
  say(
    `\n${counts.passed} passed, ${counts.failed} failed, ${counts.error} errors, ${counts.skipped} skipped, ${knownCount} known failures` +
      ` in ${formatDuration(Date.now() - started)}${coverage ? `; coverage: ${coverageSummary(coverage)}` : ''}; reports in ${reportDir}`,
  );
  for (const t of stale) say(`known failure now passes, remove it from ${opts.knownFailuresFile}: ${t.fullTitle}`);
  if (results.interrupted) return EXIT.interrupted;
  return unexpected > 0 || stale.length > 0 ? EXIT.failures : EXIT.ok;
}

/**
 * Removes the pods that the phase's mocha processes shared across spec files (useWorkerPod); the
 * files removed their own containers. What cannot be removed is a `[cleanup]` failure of the run.
 */
async function removeWorkerPods(client: CriClient, runId: string, runDir: string): Promise<void> {
  const leaks = await removeLabelledPods(client, runId, { [WORKER_POD_LABEL]: 'true' });
  for (const message of leaks) appendRunEvent(runDir, { kind: 'cleanup-failure', test: 'pods shared by the spec files of a worker', message });
}

/**
 * With --parallel N > 1, tests tagged [serial] (they remove shared images or change runtime-wide
 * state) run after all others, alone; everything else runs in N workers.
 */
function runPhases(opts: CliOptions): { grep: RegExp | undefined; parallel: number }[] {
  if (opts.parallel <= 1) return [{ grep: selectionRegExp(opts.focus, opts.skip), parallel: 1 }];
  return [
    { grep: selectionRegExp(opts.focus, [...opts.skip, SERIAL_TAG]), parallel: opts.parallel },
    { grep: selectionRegExp(opts.focus, opts.skip, SERIAL_TAG), parallel: 1 },
  ];
}

/**
 * Folds the side files of the run into the results, applies the known failures, writes every
 * report and removes the run dir. Returns the coverage and what still fails the run.
 */
function finish(results: RunResults, reportDir: string, runDir: string, known: Map<string, string>): { coverage?: Coverage; unexpected: number; stale: RunResults['tests'] } {
  results.finishedAt = new Date();
  const events = readRunEvents(runDir);
  const reasons = new Map<string, string>();
  for (const e of events) if (e.kind === 'skip') reasons.set(e.test, e.reason);
  const starts = new Map<string, { pid: number; startedAt: number }>();
  for (const e of events) if (e.kind === 'test-start') starts.set(e.test, e);
  for (const t of results.tests) {
    if (t.outcome === 'skipped' && !t.message) t.message = reasons.get(t.fullTitle) ?? 'skipped (no reason recorded)';
    const start = starts.get(t.fullTitle);
    if (start) Object.assign(t, { startedAt: start.startedAt, pid: start.pid });
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
  const verdict = applyKnownFailures(results.tests, known);
  let coverage: Coverage | undefined;
  try {
    if (!reportsModule) throw new Error('the report writers were not loaded');
    coverage = reportsModule.writeReports(results, reportDir, runDir);
  } catch (err) {
    say(`warning: could not write reports to ${reportDir}: ${(err as Error).message}`);
  }
  rmSync(runDir, { recursive: true, force: true });
  return { coverage, unexpected: verdict.unexpected.length, stale: verdict.stale };
}

function compareCommand(args: string[]): number {
  if (args.length !== 2) {
    say('cri-conformance: usage: cri-conformance compare OLD/results.json NEW/results.json');
    return EXIT.usage;
  }
  try {
    const [oldRun, newRun] = [readResultsJson(args[0]), readResultsJson(args[1])];
    const comparison = compareResults(oldRun, newRun);
    process.stdout.write(formatComparison(comparison, oldRun, newRun));
    return comparison.regressed.length > 0 ? EXIT.failures : EXIT.ok;
  } catch (err) {
    if (err instanceof ResultsFileError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}

async function describeRuntime(client: CriClient, results: RunResults): Promise<void> {
  try {
    const v = await client.runtime.Version({ version: 'v1' }, { role: 'setup' });
    results.properties['runtime.name'] = v.runtime_name;
    results.properties['runtime.version'] = v.runtime_version;
    results.properties['runtime.api_version'] = v.runtime_api_version;
  } catch {
    // the runtime-info specs judge Version; the run goes on without these properties
  }
}

export { UnreachableError, TestbedError };
