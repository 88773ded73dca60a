// A conformance run against one runtime: check it answers, run the specs (the parallel phase,
// then the [serial] one), sweep, write reports. Reports are written for every run that reached
// the runtime check, also a failing, partial or interrupted one.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect, waitForReady, UnreachableError, type CriClient } from '../client/cri-client.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../client/timeouts.js';
import { setContext, WORKER_POD_LABEL, type CgroupDriver } from '../framework/run/context.js';
import type { ImageCatalogue } from '../framework/run/images.js';
import { inBackground } from '../framework/run/background.js';
import { appendRunEvent, readRunEvents } from '../framework/run/run-events.js';
import { removeLabelledPods, sweepRun, type SweepResult } from '../framework/run/sweep.js';
import { countOutcomes, failureRecap, type RunResults } from '../reporters/results.js';
import { coverageSummary } from '../reporters/coverage.js';
import { hasFailedBeforeAll, reportTestsUnderFailedHooks } from '../reporters/not-run.js';
import { formatDuration } from '../common/duration.js';
import { cleanupHint } from './cleanup.js';
import { lockEndpoint, type HeldLock } from './endpoint-lock.js';
import { finish, loadReports, type RunFiles } from './finish-run.js';
import { watchInterrupts } from './interrupts.js';
import { selectionRegExp, SERIAL_TAG, type CliOptions } from './options.js';
import { EXIT, suiteVersion } from './terminal.js';
import { say } from '../common/say.js';

const CONNECT_TIMEOUT_MS = 10_000;

type StartMocha = typeof import('./mocha-run.js').startMocha;

export interface RunRequest {
  opts: CliOptions;
  images: ImageCatalogue;
  known: Map<string, string>;
  runtimeEndpoint: string;
  imageEndpoint: string;
}

/** One run, from the runtime check to the exit code. */
export async function runAgainst(run: RunRequest): Promise<number> {
  const { opts, runtimeEndpoint, imageEndpoint } = run;
  const runId = randomBytes(4).toString('hex');
  const reportDir = resolve(opts.reportDir);
  const files: RunFiles = { reportDir, runDir: `${reportDir}/.run-${runId}`, known: run.known };
  mkdirSync(files.runDir, { recursive: true });
  const started = Date.now();
  const results = newResults(runId, run);
  const timeouts = { ...DEFAULT_TIMEOUTS, defaultMs: opts.timeoutMs };
  const client = connect({ runtimeEndpoint, imageEndpoint, timeouts });
  try {
    await waitForReady(client, CONNECT_TIMEOUT_MS);
  } catch (err) {
    if (!(err instanceof UnreachableError)) throw err;
    say(err.message);
    results.tests.push({
      file: 'cri-conformance',
      titlePath: ['connect to the runtime'],
      fullTitle: 'connect to the runtime',
      outcome: 'error',
      durationMs: Date.now() - started,
      message: err.message,
    });
    await loadReports();
    finish(results, files);
    client.close();
    return EXIT.unreachable;
  }
  await describeRuntime(client, results);
  const cgroupDriver = await cgroupDriverOf(client, results);
  await loadReports();
  const { startMocha } = await import('./mocha-run.js');
  say(
    `run ${runId} against ${results.properties['runtime.name'] ?? 'runtime'} ${results.properties['runtime.version'] ?? ''} at ${runtimeEndpoint}; reports in ${reportDir}`,
  );

  setContext({
    runId,
    runtimeEndpoint,
    imageEndpoint,
    runtimeHandler: opts.runtimeHandler,
    timeouts,
    images: run.images,
    runDir: files.runDir,
    requiredFeatures: opts.require,
    streamingProtocols: opts.streamingProtocols,
    cgroupDriver,
  });
  await sweepRun(client, runId);
  await runPhasesUntilDone(startMocha, opts, client, results, files, timeouts);
  if (!results.interrupted && hasFailedBeforeAll(results.tests)) {
    const { listTestsApart } = await import('./mocha-run.js');
    results.tests = reportTestsUnderFailedHooks(results.tests, listTestsApart(selectionRegExp(opts.focus, opts.skip)));
  }
  return summarize(opts, results, files, started);
}

function newResults(runId: string, run: RunRequest): RunResults {
  const results: RunResults = {
    runId,
    startedAt: new Date(),
    interrupted: false,
    tests: [],
    properties: {
      'suite.version': suiteVersion(),
      'run.id': runId,
      'runtime.endpoint': run.runtimeEndpoint,
      'image.endpoint': run.imageEndpoint,
    },
  };
  if (run.opts.require.length > 0) results.properties['features.required'] = run.opts.require.join(',');
  return results;
}

/**
 * Runs each phase's mocha (stopping after an interrupt), removes each phase's worker pods while
 * the next begins, and sweeps what the run left; closes the client.
 */
async function runPhasesUntilDone(
  startMocha: StartMocha,
  opts: CliOptions,
  client: CriClient,
  results: RunResults,
  files: RunFiles,
  timeouts: Timeouts,
): Promise<void> {
  const { runId } = results;
  const interrupts = watchInterrupts(results, runId, () => {
    finish(results, files);
    process.exit(EXIT.interrupted);
  });
  let removingWorkerPods: Promise<void> | undefined;
  try {
    for (const phase of runPhases(opts)) {
      if (results.interrupted) break;
      const lock = await lockPhase(results, phase.serial);
      try {
        const suite = await startMocha({
          grep: phase.grep,
          parallel: phase.parallel,
          testTimeoutMs: Math.max(timeouts.defaultMs * 3, 180_000),
          results,
        });
        await interrupts.phaseEnded(suite);
      } finally {
        lock.release();
      }
      // The phase's worker pods go while the next phase begins: the [serial] tests that measure the
      // node at rest wait for that first (backgroundSettled).
      if (!results.interrupted) {
        const earlier = removingWorkerPods;
        removingWorkerPods = (async () => {
          await earlier;
          await removeWorkerPods(client, runId, files.runDir);
        })();
        inBackground(removingWorkerPods);
      }
    }
  } finally {
    await removingWorkerPods;
    const pulled = readRunEvents(files.runDir).flatMap((e) => (e.kind === 'pulled-image' ? [e.ref] : []));
    const sweep = await sweepRun(client, runId, pulled);
    if (results.interrupted) await sweepUntilQuiet(client, runId, pulled, sweep);
    if (sweep.pods + sweep.containers > 0)
      say(`swept ${sweep.pods} pod(s) and ${sweep.containers} container(s) left by run ${runId}`);
    if (sweep.keptImages.length > 0)
      say(
        `kept ${sweep.keptImages.length} image(s) run ${runId} pulled, for the live run(s) ${sweep.liveRuns.join(', ')}: ${sweep.keptImages.join(', ')} (cri-conformance cleanup removes them once no run is live)`,
      );
    for (const leak of sweep.leaks) say(`warning: could not remove ${leak}`);
    if (sweep.leaks.length > 0) {
      const endpoint = results.properties['runtime.endpoint'] ?? '';
      say(`run ${runId} left objects in the runtime; to remove them: ${cleanupHint(endpoint, runId)}`);
    }
    client.close();
    interrupts.stop();
  }
}

/** Writes the reports, prints the run's one-line summary and returns its exit code. */
function summarize(opts: CliOptions, results: RunResults, files: RunFiles, started: number): number {
  const { coverage, unexpected, stale } = finish(results, files);
  const knownCount = results.tests.filter((t) => t.knownFailure).length;
  const counts = countOutcomes(results.tests.filter((t) => !t.knownFailure));
  say(
    `\n${counts.passed} passed, ${counts.failed} failed, ${counts.error} errors, ${counts.skipped} skipped, ${knownCount} known failures` +
      ` in ${formatDuration(Date.now() - started)}${coverage ? `; coverage: ${coverageSummary(coverage)}` : ''}; reports in ${files.reportDir}`,
  );
  if (opts.knownFailuresFile) {
    const runtime = `${results.properties['runtime.name'] ?? 'the runtime'} ${results.properties['runtime.version'] ?? ''}`;
    say(`${knownCount} known non-conformances of ${runtime} (listed in ${opts.knownFailuresFile})`);
  }
  for (const line of failureRecap(unexpected)) say(line);
  for (const t of stale) say(`known failure now passes, remove it from ${opts.knownFailuresFile}: ${t.fullTitle}`);
  if (results.interrupted) return EXIT.interrupted;
  return unexpected.length > 0 || stale.length > 0 ? EXIT.failures : EXIT.ok;
}

/**
 * Removes the pods that the phase's mocha processes shared across spec files (useWorkerPod); the
 * files removed their own containers. What cannot be removed is a `[cleanup]` failure of the run.
 */
async function removeWorkerPods(client: CriClient, runId: string, runDir: string): Promise<void> {
  const leaks = await removeLabelledPods(client, runId, { [WORKER_POD_LABEL]: 'true' });
  for (const message of leaks)
    appendRunEvent(runDir, { kind: 'cleanup-failure', test: 'pods shared by the spec files of a worker', message });
}

/**
 * With --parallel N > 1, tests tagged [serial] (they remove shared images or change runtime-wide
 * state) run after all others, alone; everything else runs in N workers.
 */
function runPhases(opts: CliOptions): { grep: RegExp | undefined; parallel: number; serial: boolean }[] {
  if (opts.parallel <= 1) return [{ grep: selectionRegExp(opts.focus, opts.skip), parallel: 1, serial: true }];
  return [
    { grep: selectionRegExp(opts.focus, [...opts.skip, SERIAL_TAG]), parallel: opts.parallel, serial: false },
    { grep: selectionRegExp(opts.focus, opts.skip, SERIAL_TAG), parallel: 1, serial: true },
  ];
}

/**
 * Another run of the suite on this host against the same endpoint may be live: a phase with
 * [serial] tests runs alone, other phases run beside each other (endpoint-lock.ts).
 */
async function lockPhase(results: RunResults, serial: boolean): Promise<HeldLock> {
  const endpoint = results.properties['runtime.endpoint'] ?? '';
  return lockEndpoint(endpoint, serial ? 'exclusive' : 'shared', {
    onWait: (pids) =>
      say(
        `waiting for another run of the suite against ${endpoint} (process ${pids.join(', ')}) to leave its ${serial ? 'phase' : '[serial] phase'}`,
      ),
  });
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

/**
 * The cgroup driver the suite's pods are given a parent for, as kubelet decides it: the driver
 * RuntimeConfig reports where the runtime implements it, cgroupfs otherwise (the runtime-info
 * specs judge RuntimeConfig itself).
 */
async function cgroupDriverOf(client: CriClient, results: RunResults): Promise<CgroupDriver> {
  let driver: CgroupDriver = 'CGROUPFS';
  try {
    const res = await client.runtime.RuntimeConfig({}, { role: 'setup' });
    if (res.linux?.cgroup_driver === 'SYSTEMD') driver = 'SYSTEMD';
  } catch {
    // UNIMPLEMENTED (or any error): kubelet falls back to its own setting, cgroupfs by default
  }
  results.properties['pods.cgroup_driver'] = driver;
  return driver;
}

/**
 * After an interrupt, sweeps again until two sweeps a second apart find nothing (at most 30 s):
 * mocha kills the workers at once, and a RunPodSandbox or CreateContainer they had sent ends in
 * the runtime after the first sweep. Adds what it removes to `sweep`.
 */
async function sweepUntilQuiet(client: CriClient, runId: string, pulled: string[], sweep: SweepResult): Promise<void> {
  const until = Date.now() + 30_000;
  for (let quiet = 0; quiet < 2 && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 1_000));
    const again = await sweepRun(client, runId, pulled);
    sweep.pods += again.pods;
    sweep.containers += again.containers;
    sweep.leaks.push(...again.leaks);
    quiet = again.pods + again.containers === 0 ? quiet + 1 : 0;
  }
}
