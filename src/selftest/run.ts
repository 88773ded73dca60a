// `npm run selftest`: proves the suite's verdict. For each mutant, the tests that should catch it
// run through the proxy and at least one must fail with a message naming the violated behaviour;
// for each transport fault, the run must end in time with the right exit code and message and
// write its reports. After every run, nothing labelled with its run id may be left on the REAL
// runtime. Prints the mutation score and every survivor.
//
// usage: node dist/src/selftest/run.js [--runtime-endpoint EP] [--only REGEX]... [--mutants|--faults]
//        [--known-failures FILE] [--min-score 0.9]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../client/cri-client.js';
import { RUN_LABEL } from '../framework/run/context.js';
import { sweepRun } from '../framework/run/sweep.js';
import type { Behaviour } from './behaviour.js';
import { FAULTS, type Fault } from './faults.js';
import { MUTANTS } from './mutants.js';
import type { Mutant } from './mutant.js';
import { startProxy } from './proxy.js';

const ROOT = (() => {
  const here = fileURLToPath(import.meta.url);
  return here.slice(0, here.lastIndexOf('/dist/'));
})();
const CLI = join(ROOT, 'dist/src/cli.js');
const RUN_LIMIT_MS = 5 * 60_000;

interface RunOutcome {
  exitCode: number | null;
  seconds: number;
  stderr: string;
  runId?: string;
  tests: { fullTitle: string; outcome: string; message?: string; knownFailure?: string }[];
  reportsWritten: boolean;
}

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** Runs the CLI through a proxy with `behaviour`; kills it (SIGINT, then SIGKILL) after RUN_LIMIT_MS. */
async function runThroughProxy(
  upstream: string,
  behaviour: Behaviour,
  focus: string[],
  extra: string[],
  fullRun = false,
): Promise<RunOutcome> {
  const proxy = await startProxy(upstream, behaviour);
  const reportDir = mkdtempSync(join(tmpdir(), 'crit-selftest-'));
  const started = Date.now();
  try {
    const args = [
      CLI,
      '--runtime-endpoint',
      proxy.endpoint,
      '--image-endpoint',
      proxy.endpoint,
      ...(fullRun ? [] : ['--parallel', '1']),
      '--report-dir',
      reportDir,
      ...focus.flatMap((f) => ['--focus', f]),
      ...extra,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => {
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    }, RUN_LIMIT_MS);
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(limit);
    const resultsFile = join(reportDir, 'results.json');
    const results = existsSync(resultsFile)
      ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { tests?: RunOutcome['tests'] })
      : {};
    return {
      exitCode,
      seconds: (Date.now() - started) / 1000,
      stderr,
      runId:
        /run ([0-9a-f]+) against/.exec(stderr)?.[1] ??
        /"run\.id":\s*"([0-9a-f]+)"/.exec(existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '')?.[1],
      tests: results.tests ?? [],
      reportsWritten: existsSync(resultsFile) && existsSync(join(reportDir, 'junit.xml')),
    };
  } finally {
    await proxy.close();
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Pods and containers on the REAL runtime that carry `runId`'s label; sweeps them when `sweep`. */
async function leftovers(endpoint: string, runId: string | undefined, sweep: boolean): Promise<string[]> {
  if (!runId) return [];
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const selector = { [RUN_LABEL]: runId };
    const { items } = await client.runtime.ListPodSandbox({ filter: { label_selector: selector } });
    const { containers } = await client.runtime.ListContainers({ filter: { label_selector: selector } });
    const found = [
      ...items.map((p) => `pod ${p.id.slice(0, 12)}`),
      ...containers.map((c) => `container ${c.id.slice(0, 12)}`),
    ];
    if (sweep && found.length > 0) await sweepRun(client, runId);
    return found;
  } finally {
    client.close();
  }
}

/**
 * Runs `cri-conformance cleanup --run ID` against the real runtime (the run's own endpoint, the
 * proxy, is gone): "exit 0 (N removed)" when it left nothing, else what went wrong.
 */
async function runCleanup(endpoint: string, runId: string | undefined): Promise<string> {
  if (!runId) return 'no run id to clean up';
  const child = spawn(
    process.execPath,
    [CLI, 'cleanup', '--runtime-endpoint', endpoint, '--run', runId, '--keep-images'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const removed = stderr.split('\n').filter((l) => l.startsWith('removed ')).length;
  return code === 0 ? `exit 0 (${removed} removed)` : `cleanup exit ${code}: ${short(stderr)}`;
}

/** Every stable test id of the suite as compiled, with its full title (`cri-conformance --list-ids`). */
async function testsById(): Promise<Map<string, string>> {
  const child = spawn(process.execPath, [CLI, '--list-ids'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`cri-conformance --list-ids exited ${String(code)}: ${err.split('\n')[0]}`);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]),
  );
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** --focus regexes for the tests with `ids`, and the ids that no test has. */
function focusOf(ids: readonly string[], byId: ReadonlyMap<string, string>): { focus: string[]; unknown: string[] } {
  const unknown = ids.filter((id) => !byId.has(id));
  return { focus: ids.filter((id) => byId.has(id)).map((id) => `^${escapeRegExp(byId.get(id)!)}$`), unknown };
}

const short = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').slice(0, 160);

async function judgeMutant(
  endpoint: string,
  m: Mutant,
  focus: string[],
  extra: string[],
): Promise<{ killed: boolean; line: string; leak: boolean }> {
  const run = await runThroughProxy(endpoint, m, focus, [...extra, ...(m.flags ?? [])]);
  const ran = run.tests.filter((t) => t.outcome !== 'skipped');
  const errors = m.failuresOnly ? run.tests.filter((t) => t.outcome === 'error') : [];
  const killer =
    errors.length > 0
      ? undefined
      : run.tests.find(
          (t) => t.outcome === 'failed' && !t.knownFailure && m.expect.test((t.message ?? '').replace(/\s+/g, ' ')),
        );
  const left = await leftovers(endpoint, run.runId, true);
  const leak = left.length > 0 && !m.leaves;
  const leakNote =
    left.length === 0
      ? ''
      : m.leaves
        ? `; swept ${left.length} object(s) the mutant kept the suite from removing`
        : `; LEAK: ${left.join(', ')}`;
  let line: string;
  if (killer) line = `killed   ${m.name}: "${killer.fullTitle}" failed: ${short(killer.message)}`;
  else if (errors.length > 0)
    line = `SURVIVED ${m.name}: ${errors.length} harness error(s) where a conformance failure was due: ${errors.map((t) => `${t.fullTitle}: ${short(t.message)}`).join('; ')}`;
  else if (run.tests.length === 0)
    line = `SURVIVED ${m.name}: the run reported none of ${m.caughtBy.join(', ')} [exit ${run.exitCode}]`;
  else if (ran.length === 0)
    line = `SURVIVED ${m.name}: every selected test was skipped (${short(run.tests[0].message)})`;
  else {
    const other = run.tests.find((t) => t.outcome === 'failed' || t.outcome === 'error');
    line = `SURVIVED ${m.name}: ${other ? `failed without naming "${m.violates}": ${other.fullTitle}: ${short(other.message)}` : `${ran.length} test(s) passed`}`;
  }
  if (!killer && m.survives) line += ` — explained: ${m.survives}`;
  return { killed: Boolean(killer), line: `${line} (${run.seconds.toFixed(0)}s${leakNote})`, leak };
}

async function judgeFault(
  endpoint: string,
  f: Fault,
  focus: string[],
  extra: string[],
): Promise<{ ok: boolean; line: string }> {
  const run = await runThroughProxy(
    endpoint,
    f.behaviour(),
    focus,
    [...(f.timeout ? ['--timeout', f.timeout] : []), ...extra],
    f.fullRun,
  );
  const texts = [run.stderr, ...run.tests.map((t) => t.message ?? '')];
  const message = texts.find((t) => f.expect.test(t));
  const cleanup = f.leavesCleanupCommand ? await runCleanup(endpoint, run.runId) : '';
  const left = await leftovers(endpoint, run.runId, true);
  const problems = [
    run.exitCode === f.exitCode ? '' : `exit ${run.exitCode}, expected ${f.exitCode}`,
    run.seconds <= f.maxSeconds ? '' : `took ${run.seconds.toFixed(0)}s, limit ${f.maxSeconds}s`,
    message ? '' : `no message matches ${f.expect}`,
    run.reportsWritten ? '' : 'reports (junit.xml, results.json) not written',
    left.length === 0 ? '' : `left behind (now swept): ${left.join(', ')}`,
    cleanup.startsWith('exit 0') ? '' : cleanup,
  ].filter(Boolean);
  const matched = message ? short(message.split('\n').find((l) => f.expect.test(l)) ?? message) : '';
  const cleaned = cleanup ? `, then cri-conformance cleanup: ${cleanup.split('\n')[0]}` : '';
  const line = `${problems.length === 0 ? 'ok  ' : 'FAIL'} ${f.name}: ${f.what} → exit ${run.exitCode} in ${run.seconds.toFixed(0)}s, reports ${run.reportsWritten ? 'written' : 'MISSING'}${cleaned}, ${left.length} left behind${matched ? `; "${matched}"` : ''}${problems.length ? `; ${problems.join('; ')}` : ''}`;
  const firstFailure = run.tests.find((t) => t.outcome === 'failed' || t.outcome === 'error');
  const detail =
    problems.length && firstFailure
      ? `\n     first failure: ${firstFailure.fullTitle}: ${short(firstFailure.message)}`
      : '';
  return { ok: problems.length === 0, line: line + detail };
}

export async function main(argv: string[]): Promise<number> {
  let endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? 'unix:///var/tmp/cri-conformance-testbed/containerd.sock';
  const only: RegExp[] = [];
  let kinds = { mutants: true, faults: true };
  let minScore = 0.9;
  const extra: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--runtime-endpoint') endpoint = argv[++i];
    else if (a === '--only') only.push(new RegExp(argv[++i]));
    else if (a === '--mutants') kinds = { mutants: true, faults: false };
    else if (a === '--faults') kinds = { mutants: false, faults: true };
    else if (a === '--min-score') minScore = Number(argv[++i]);
    else if (a === '--known-failures') extra.push('--known-failures', argv[++i]);
    else {
      process.stderr.write(`selftest: unknown argument ${a}\n`);
      return 2;
    }
  }
  const pick = <T extends { name: string }>(xs: readonly T[]): T[] =>
    xs.filter((x) => only.length === 0 || only.some((r) => r.test(x.name)));
  const started = Date.now();
  let failed = false;

  // Mutants and faults name their tests by stable id: an id that no test has any more (the test
  // was removed, or its id changed) fails the self-test rather than letting the mutant go untried.
  const byId = await testsById();
  const unknownIds = (name: string, unknown: string[]): void => {
    say(`FAIL ${name}: no test has the id(s) ${unknown.join(', ')} (cri-conformance --list-ids lists them)`);
    failed = true;
  };
  if (kinds.faults) {
    const faults = pick(FAULTS);
    say(`== transport faults (${faults.length}) through the proxy to ${endpoint}`);
    for (const f of faults) {
      const { focus, unknown } = focusOf(f.caughtBy, byId);
      if (unknown.length > 0) {
        unknownIds(f.name, unknown);
        continue;
      }
      const r = await judgeFault(endpoint, f, focus, extra);
      say(r.line);
      if (!r.ok) failed = true;
    }
  }
  if (kinds.mutants) {
    const mutants = pick(MUTANTS);
    say(`== mutants (${mutants.length}) through the proxy to ${endpoint}`);
    const survivors: string[] = [];
    let killed = 0;
    for (const m of mutants) {
      const { focus, unknown } = focusOf(m.caughtBy, byId);
      if (unknown.length > 0 || focus.length === 0) {
        unknownIds(m.name, unknown.length > 0 ? unknown : ['(none given)']);
        survivors.push(`${m.name}: not run`);
        continue;
      }
      const r = await judgeMutant(endpoint, m, focus, extra);
      say(r.line);
      if (r.killed) killed += 1;
      else survivors.push(r.line);
      if (r.leak) failed = true;
    }
    const score = mutants.length === 0 ? 1 : killed / mutants.length;
    say(
      `\nmutation score: ${killed}/${mutants.length} killed (${Math.round(score * 100)}%), ${survivors.length} survived`,
    );
    for (const s of survivors) say(`  ${s}`);
    if (score < minScore) {
      say(`mutation score below ${Math.round(minScore * 100)}%`);
      failed = true;
    }
  }
  say(`selftest ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`selftest: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
