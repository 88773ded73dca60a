// A benchmark, not a test: runs the whole suite against a runtime several times at --parallel 1
// and at the default, and prints tests, wall time, tests per second and the harness overhead
// (test time not spent inside CRI calls or streams). With CRITEST=<path of a critest binary>, each
// round runs critest at the same level just before the suite, on the same runtime, and prints the
// ratio of the two rates: a comparison that the host's drift in speed does not skew.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CallRecord } from '../client/call-log.js';
import { connect } from '../client/cri-client.js';
import { defaultParallelism, MAX_PARALLEL } from '../cli/options.js';
import type { ResultsFile } from '../reporters/results-json.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

interface Sample {
  parallel: number;
  tests: number;
  wallMs: number;
  testMs: number;
  rpcMs: number;
  verdicts: Map<string, string>;
  /** Failed or errored tests that the known-failures list does not name. */
  newFailures: number;
  /** critest's run just before this one, with CRITEST. */
  critest?: CritestSample;
}

async function once(endpoint: string, parallel: number, extra: string[]): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'crit-bench-'));
  try {
    return await sampleOf(dir, endpoint, parallel, extra);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sampleOf(dir: string, endpoint: string, parallel: number, extra: string[]): Promise<Sample> {
  const started = Date.now();
  await run(
    process.execPath,
    [CLI, '--runtime-endpoint', endpoint, '--report-dir', dir, '--parallel', String(parallel), ...extra],
    { maxBuffer: 64 * 1024 * 1024 },
  ).catch((err: { code?: number }) => {
    if (err.code !== 1) throw err;
  });
  const wallMs = Date.now() - started;
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
  const calls = readFileSync(join(dir, 'calls.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CallRecord);
  let testMs = 0;
  let rpcMs = 0;
  for (const t of results.tests) {
    testMs += t.durationMs;
    rpcMs += inside(t, calls);
  }
  const newFailures = results.tests.filter(
    (t) => (t.outcome === 'failed' || t.outcome === 'error') && !t.knownFailure,
  ).length;
  return {
    parallel,
    tests: results.tests.length,
    wallMs,
    testMs,
    rpcMs,
    verdicts: new Map(results.tests.map((t) => [t.fullTitle, t.outcome])),
    newFailures,
  };
}

/**
 * Milliseconds this host takes to start 200 processes (/bin/true, from one shell), measured before
 * each round: the runtime's work is mostly process creation (runc, shims, CNI plugins), so on a VM
 * whose speed at it drifts, the wall times drift with it.
 */
async function spawnMs(): Promise<number> {
  const started = performance.now();
  await run('sh', ['-c', 'i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i + 1)); done']);
  return performance.now() - started;
}

/** The images critest v1.26 pulls (`scripts/testbed.sh critest-images` puts stand-ins in the local registry). */
const CRITEST_IMAGE_PREFIXES = ['registry.k8s.io/e2e-test-images/', 'gcr.io/k8s-staging-cri-tools/'];

interface CritestSample {
  tests: number;
  passed: number;
  failed: number;
  wallMs: number;
}

/** ginkgo's summary in critest's output: "Ran 80 of 85 Specs in 77.793 seconds" and "78 Passed | 2 Failed". */
export function parseCritestSummary(output: string): Omit<CritestSample, 'wallMs'> | undefined {
  const ran = /^Ran (\d+) of \d+ Specs? in /m.exec(output);
  const counts = /(\d+) Passed \| (\d+) Failed/.exec(output);
  if (!ran || !counts) return undefined;
  return { tests: Number(ran[1]), passed: Number(counts[1]), failed: Number(counts[2]) };
}

/** Runs critest once (exit 1 on failed tests is a result, not an error), then removes the images it pulled. */
async function critestOnce(critest: string, endpoint: string, parallel: number): Promise<CritestSample> {
  const args = ['-runtime-endpoint', endpoint, '-image-endpoint', endpoint, '-ginkgo.no-color'];
  // critest runs ginkgo's CLI (from PATH) for -parallel N; an explicit -parallel 1 goes to `go test` and fails.
  if (parallel > 1) args.push('-parallel', String(parallel));
  const started = Date.now();
  const output = await run(critest, args, { cwd: tmpdir(), maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout + r.stderr,
    (err: { code?: number; stdout?: string; stderr?: string; message: string }) => {
      if (err.code === 1 && err.stdout !== undefined) return err.stdout + (err.stderr ?? '');
      throw new Error(`${critest} failed to run: ${err.message}`);
    },
  );
  const wallMs = Date.now() - started;
  const summary = parseCritestSummary(output);
  if (!summary)
    throw new Error(`critest printed no summary; its last lines:\n${output.trim().split('\n').slice(-10).join('\n')}`);
  await removeCritestImages(endpoint);
  return { ...summary, wallMs };
}

/** Removes the images critest pulled, so that each critest round pulls them as the first did and the suite finds the node as it left it. */
async function removeCritestImages(endpoint: string): Promise<void> {
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const { images } = await client.image.ListImages({});
    for (const image of images) {
      if (
        [...image.repo_tags, ...image.repo_digests].some((ref) => CRITEST_IMAGE_PREFIXES.some((p) => ref.startsWith(p)))
      ) {
        await client.image.RemoveImage({ image: { image: image.id } });
      }
    }
  } finally {
    client.close();
  }
}

function ratePerS(run: { tests: number; wallMs: number }): number {
  return run.tests / (run.wallMs / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The part of a test's duration that its process spent inside CRI calls and streams: while the
 * test's body ran, any call of that process in flight (made by the test, or by an earlier test of
 * the process for a fixture that this one awaits). Without the body's start (a test outside
 * useScope), the calls attributed to its body, capped at its duration.
 */
export function inside(test: ResultsFile['tests'][number], calls: readonly CallRecord[]): number {
  if (test.startedAt !== undefined && test.pid !== undefined) {
    const from = Date.parse(test.startedAt);
    return timeInside(
      calls.filter((c) => c.pid === test.pid),
      from,
      from + test.durationMs,
    );
  }
  return Math.min(timeInside(calls.filter((c) => c.test === test.fullTitle && !c.hook)), test.durationMs);
}

/**
 * Time covered by at least one call or stream session (overlapping ones count once), counting only
 * what falls within [from, to] when given.
 */
export function timeInside(calls: readonly CallRecord[], from = -Infinity, to = Infinity): number {
  const spans = calls
    .map((c) => [Math.max(c.startedAt, from), Math.min(c.startedAt + c.durationMs, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** The --parallel levels to measure: BENCH_LEVELS (e.g. "2 3"), else 1 and the default. */
function levelsFrom(text: string | undefined): number[] {
  if (text === undefined || text.trim() === '') return [...new Set([1, defaultParallelism()])];
  const levels = text
    .trim()
    .split(/[\s,]+/)
    .map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_PARALLEL)) {
    process.stderr.write(`bench-suite: BENCH_LEVELS must be whole numbers from 1 to ${MAX_PARALLEL}, got "${text}"\n`);
    process.exit(2);
  }
  return [...new Set(levels)];
}

async function main(): Promise<void> {
  const endpoint = process.argv[2] ?? process.env.CONTAINER_RUNTIME_ENDPOINT;
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const critest = process.env.CRITEST;
  if (!endpoint) {
    process.stderr.write(
      'usage: bench-suite <runtime-endpoint> [cri-conformance flags…]   (BENCH_ROUNDS=3, BENCH_LEVELS="1 N", CRITEST=path of critest to compare with)\n',
    );
    process.exit(2);
  }
  const extra = process.argv.slice(3);
  const levels = levelsFrom(process.env.BENCH_LEVELS);
  const samples: Sample[] = [];
  process.stdout.write(
    `bench-suite: ${rounds} rounds at --parallel ${levels.join(' and ')} against ${endpoint}${critest ? `, each run after one of ${critest}` : ''}\n`,
  );
  if (critest) await removeCritestImages(endpoint);
  process.stdout.write('parallel  round  tests  wall(s)  tests/s  overhead  new failures  200 spawns(ms)\n');
  // Rounds alternate between the levels, so that a drift of the host's speed weighs on both alike.
  for (let round = 1; round <= rounds; round += 1) {
    for (const parallel of levels) {
      const c = critest ? await critestOnce(critest, endpoint, parallel) : undefined;
      const spawns = await spawnMs();
      const s = { ...(await once(endpoint, parallel, extra)), critest: c };
      samples.push(s);
      const overhead = s.testMs > 0 ? (100 * (s.testMs - s.rpcMs)) / s.testMs : 0;
      const rate = ratePerS(s);
      process.stdout.write(
        `${String(parallel).padStart(8)}  ${String(round).padStart(5)}  ${String(s.tests).padStart(5)}  ${(s.wallMs / 1000).toFixed(1).padStart(7)}  ${rate.toFixed(2).padStart(7)}  ${overhead.toFixed(1).padStart(7)}%  ${String(s.newFailures).padStart(12)}  ${spawns.toFixed(0).padStart(14)}\n`,
      );
      if (c) {
        process.stdout.write(
          `          critest just before: ${c.tests} tests (${c.passed} passed, ${c.failed} failed) in ${(c.wallMs / 1000).toFixed(1)} s, ${ratePerS(c).toFixed(2)} tests/s; the suite's rate is ${(rate / ratePerS(c)).toFixed(2)}× critest's\n`,
        );
      }
    }
  }
  for (const parallel of levels) {
    const mine = samples.filter((s) => s.parallel === parallel);
    const wall = median(mine.map((s) => s.wallMs / 1000));
    const versus = mine.flatMap((s) => (s.critest ? [s.critest] : []));
    const ratios = mine.flatMap((s) => (s.critest ? [ratePerS(s) / ratePerS(s.critest)] : []));
    const vs =
      versus.length > 0
        ? `; critest median ${median(versus.map((c) => c.wallMs / 1000)).toFixed(1)} s, rate ratio median ${median(ratios).toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')})`
        : '';
    process.stdout.write(
      `--parallel ${parallel}: median ${wall.toFixed(1)} s, ${(mine[0].tests / wall).toFixed(2)} tests/s${vs}\n`,
    );
  }
  if (!critest)
    process.stdout.write(
      `reference: critest runs ~80 tests in 34–37 s with 2 workers on a 2-core machine (~2.3 tests/s); CRITEST=… measures it here\n`,
    );
  const flaky = new Set<string>();
  for (const s of samples)
    for (const [title, v] of s.verdicts)
      if (samples.some((o) => o.verdicts.has(title) && o.verdicts.get(title) !== v)) flaky.add(title);
  process.stdout.write(`verdicts that changed between runs: ${flaky.size}\n`);
  for (const title of flaky)
    process.stdout.write(`  ${title}: ${samples.map((s) => s.verdicts.get(title) ?? '-').join(' ')}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    process.stderr.write(`bench-suite: ${err.message}\n`);
    process.exit(1);
  });
}
