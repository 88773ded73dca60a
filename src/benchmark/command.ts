// `cri-conformance benchmark`: from flags to exit code. Chooses the runtime like the main
// command, runs the selected measurement groups, removes everything it created (also on
// Ctrl-C), and writes benchmark.json, benchmark.md, benchmark.svg and report.html.
import { randomBytes } from 'node:crypto';
import { availableParallelism, release, type } from 'node:os';
import { resolve } from 'node:path';
import { connect, UnreachableError, waitForReady, type CriClient } from '../client/cri-client.js';
import { DEFAULT_TIMEOUTS } from '../client/timeouts.js';
import { UsageError } from '../common/config-file.js';
import { withRuntime } from '../common/discover.js';
import { formatDuration } from '../common/duration.js';
import { say } from '../common/say.js';
import { treatSigtermAsSigint } from '../common/signals.js';
import { setContext } from '../framework/run/context.js';
import { CatalogueError, defaultCatalogue, loadCatalogue, type ImageCatalogue } from '../framework/run/images.js';
import { sweepRun } from '../framework/run/sweep.js';
import type { VersionResponse__Output } from '../generated/runtime/v1/VersionResponse.js';
import {
  BENCHMARK_HELP,
  OPERATION_GROUPS,
  parseBenchmarkArgs,
  type BenchmarkOptions,
  type OperationGroup,
} from './params.js';
import { Recorder } from './runner.js';
import { writeOutputs } from './write-outputs.js';
import { SETUP, type BenchEnv } from './env.js';
import { containerGroup, execGroup, podGroup, podWithContainerGroup } from './lifecycle.js';
import { imageGroup, pullTargets, type PullTargets } from './image-group.js';
import { listContainersScaling, listPodsScaling, type ListPoint } from './list-scaling.js';
import {
  BENCHMARK_SCHEMA,
  BenchmarkFileError,
  listScalingResult,
  operationResult,
  readBenchmarkJson,
  type BenchmarkReport,
} from './report.js';

const EXIT = { ok: 0, usage: 2, unreachable: 3, interrupted: 130 } as const;
const CONNECT_TIMEOUT_MS = 10_000;

export async function benchmarkCommand(argv: string[], suiteVersion = 'unknown'): Promise<number> {
  let opts: BenchmarkOptions;
  let images: ImageCatalogue;
  let old: BenchmarkReport | undefined;
  try {
    opts = parseBenchmarkArgs(argv);
    if (opts.help) {
      process.stdout.write(BENCHMARK_HELP);
      return EXIT.ok;
    }
    images = opts.testImagesFile ? loadCatalogue(opts.testImagesFile) : defaultCatalogue();
    old = opts.compareFile ? readBenchmarkJson(opts.compareFile) : undefined;
  } catch (err) {
    if (err instanceof UsageError || err instanceof CatalogueError || err instanceof BenchmarkFileError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  return withRuntime(opts.runtimeEndpoint, opts.imageEndpoint, say, (chosen) =>
    benchmarkAgainst(opts, images, old, chosen.runtimeEndpoint, chosen.imageEndpoint, suiteVersion),
  );
}

/** The groups to run, in order: those with at least one selected operation. */
function selectedGroups(opts: BenchmarkOptions): OperationGroup[] {
  const groups = Object.keys(OPERATION_GROUPS) as OperationGroup[];
  return groups.filter((g) =>
    (OPERATION_GROUPS[g] as readonly string[]).some((o) => (opts.params.operations as string[]).includes(o)),
  );
}

/** What one benchmark run knows once the runtime answered: the report is built from it. */
interface BenchmarkRun {
  opts: BenchmarkOptions;
  runId: string;
  runtimeEndpoint: string;
  imageEndpoint: string;
  suiteVersion: string;
  startedAt: Date;
  version: VersionResponse__Output | undefined;
  abort: AbortController;
  recorder: Recorder;
  points: ListPoint[];
  targets: PullTargets | string;
}

async function benchmarkAgainst(
  opts: BenchmarkOptions,
  images: ImageCatalogue,
  old: BenchmarkReport | undefined,
  runtimeEndpoint: string,
  imageEndpoint: string,
  suiteVersion: string,
): Promise<number> {
  const runId = randomBytes(4).toString('hex');
  const reportDir = resolve(opts.reportDir);
  const client = connect({ runtimeEndpoint, imageEndpoint, timeouts: DEFAULT_TIMEOUTS });
  try {
    await waitForReady(client, CONNECT_TIMEOUT_MS);
  } catch (err) {
    client.close();
    if (!(err instanceof UnreachableError)) throw err;
    say(err.message);
    return EXIT.unreachable;
  }
  const startedAt = new Date();
  const started = Date.now();
  const version = await client.runtime.Version({ version: 'v1' }, SETUP).catch(() => undefined);
  setContext({
    runId,
    runtimeEndpoint,
    imageEndpoint,
    runtimeHandler: opts.runtimeHandler,
    timeouts: DEFAULT_TIMEOUTS,
    images,
    runDir: `${reportDir}/.run-${runId}`,
  });
  say(
    `benchmark ${runId} against ${version?.runtime_name ?? 'runtime'} ${version?.runtime_version ?? ''} at ${runtimeEndpoint}; reports in ${reportDir}`,
  );

  const abort = new AbortController();
  const recorder = new Recorder(new Set(opts.params.operations), opts.params.opTimeoutMs, abort.signal);
  const run: BenchmarkRun = {
    opts,
    runId,
    runtimeEndpoint,
    imageEndpoint,
    suiteVersion,
    startedAt,
    version,
    abort,
    recorder,
    points: [],
    targets: { refs: [], generated: false },
  };
  const env: BenchEnv = { client, recorder, params: opts.params, runtimeHandler: opts.runtimeHandler, runId, say };

  const stopWatching = watchInterrupts(run, () => {
    writeOutputs(buildReport(run), reportDir, old);
    process.exit(EXIT.interrupted);
  });
  let pulledBusybox = false;
  try {
    pulledBusybox = await measureGroups(run, env, images);
  } finally {
    const sweep = await sweepRun(client, runId, pulledBusybox ? [images.busybox] : []);
    if (sweep.pods + sweep.containers > 0)
      say(`swept ${sweep.pods} pod(s) and ${sweep.containers} container(s) left by benchmark ${runId}`);
    for (const leak of sweep.leaks) say(`warning: could not remove ${leak}`);
    client.close();
    stopWatching();
  }
  const report = buildReport(run);
  writeOutputs(report, reportDir, old);
  const failed = [...report.operations, ...report.listScaling].reduce((n, r) => n + r.failures, 0);
  say(
    `\nbenchmark ${runId}: ${report.operations.length} operations, ${report.listScaling.length} list points, ${failed} failed samples in ${formatDuration(Date.now() - started)}; reports in ${reportDir}`,
  );
  return abort.signal.aborted ? EXIT.interrupted : EXIT.ok;
}

/**
 * The first Ctrl-C (or SIGTERM) lets no new sample start, so the run ends and sweeps; the second
 * exits at once through `exitNow`. Returns the function that stops listening.
 */
function watchInterrupts(run: BenchmarkRun, exitNow: () => never): () => void {
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      say(
        `\ninterrupted: no new sample starts; removing what benchmark ${run.runId} created (Ctrl-C again to exit at once)`,
      );
      run.abort.abort();
    } else {
      say(`interrupted twice: exiting now; objects labelled io.cri-conformance.run=${run.runId} may be left behind`);
      exitNow();
    }
  };
  process.on('SIGINT', onSigint);
  const restoreSigterm = treatSigtermAsSigint();
  return () => {
    process.off('SIGINT', onSigint);
    restoreSigterm();
  };
}

/**
 * Runs the selected groups in order until the run is interrupted; a group that throws is recorded
 * as failed samples of its operations. Returns whether busybox was pulled for the run.
 */
async function measureGroups(run: BenchmarkRun, env: BenchEnv, images: ImageCatalogue): Promise<boolean> {
  const { opts, recorder } = run;
  let pulledBusybox = false;
  const groups = selectedGroups(opts);
  const needsBusybox =
    groups.some((g) => g === 'container' || g === 'pod+container' || g === 'exec') ||
    opts.params.operations.includes('ListContainers');
  if (needsBusybox) pulledBusybox = await ensureImage(env.client, images.busybox);
  if (groups.includes('image')) run.targets = pullTargets(env, images.busybox);
  for (const group of groups) {
    if (run.abort.signal.aborted) break;
    say(`measuring ${OPERATION_GROUPS[group].filter((o) => opts.params.operations.includes(o)).join(', ')}`);
    try {
      await runGroup(group, env, run.targets, run.points);
    } catch (err) {
      recorder.failGroup(
        group,
        OPERATION_GROUPS[group],
        opts.params.concurrency,
        `benchmark error: ${(err as Error).message}`,
      );
    }
  }
  return pulledBusybox;
}

/** benchmark.json's content as of now (also for a run cut short). */
function buildReport(run: BenchmarkRun): BenchmarkReport {
  const { opts, version, targets } = run;
  return {
    schema: BENCHMARK_SCHEMA,
    runId: run.runId,
    startedAt: run.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    interrupted: run.abort.signal.aborted,
    suiteVersion: run.suiteVersion,
    runtime: {
      endpoint: run.runtimeEndpoint,
      imageEndpoint: run.imageEndpoint,
      name: version?.runtime_name,
      version: version?.runtime_version,
      apiVersion: version?.runtime_api_version,
      handler: opts.runtimeHandler,
    },
    host: { os: `${type()} ${release()}`, cpus: availableParallelism(), node: process.versions.node },
    params: {
      iterations: opts.params.iterations,
      concurrency: opts.params.concurrency,
      listSizes: opts.params.listSizes,
      operations: opts.params.operations,
      opTimeout: formatDuration(opts.params.opTimeoutMs),
      pullImage: opts.params.pullImage,
      pullLayerKib: opts.params.pullLayerKib,
      pullImages: typeof targets === 'string' ? [] : targets.refs,
    },
    operations: [...run.recorder.operations.values()].map(operationResult),
    listScaling: run.points.map(listScalingResult),
  };
}

async function runGroup(
  group: OperationGroup,
  env: BenchEnv,
  targets: PullTargets | string,
  points: ListPoint[],
): Promise<void> {
  switch (group) {
    case 'pod':
      return podGroup(env);
    case 'container':
      return containerGroup(env);
    case 'pod+container':
      return podWithContainerGroup(env);
    case 'exec':
      return execGroup(env);
    case 'image':
      return imageGroup(env, targets);
    case 'list-scaling':
      if (env.params.operations.includes('ListPodSandbox')) await listPodsScaling(env, points);
      if (env.params.operations.includes('ListContainers')) await listContainersScaling(env, points);
      return;
  }
}

/** Pulls `ref` when the runtime lacks it; true when this run pulled it (and so removes it at the end). */
async function ensureImage(client: CriClient, ref: string): Promise<boolean> {
  const { image } = await client.image.ImageStatus({ image: { image: ref } }, SETUP);
  if (image?.id) return false;
  await client.image.PullImage({ image: { image: ref } }, SETUP);
  return true;
}
