// End-to-end tests of the CLI against a real runtime (the local test bed in `npm test`):
// exit codes, reports for passing, failing, unreachable and interrupted runs, and no leaks.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { connect } from '../client/cri-client.js';
import { RUN_LABEL } from '../framework/run/context.js';
import { findWellKnownRuntime } from '../common/discover.js';
import { createServer } from 'node:net';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

// Every report directory of this file, under one directory that is removed after the last test.
const scratch = mkdtempSync(join(tmpdir(), 'crit-e2e-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function reportDir(): string {
  return mkdtempSync(join(scratch, 'run-'));
}

function parseJunit(dir: string): { tests: number; failures: number; errors: number; skipped: number; xml: string } {
  const file = join(dir, 'junit.xml');
  expect(existsSync(file), `${file} exists`).to.equal(true);
  const xml = readFileSync(file, 'utf8');
  expect(XMLValidator.validate(xml), 'junit.xml is well-formed XML').to.equal(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
    testsuites: Record<string, string>;
  };
  const n = (k: string): number => Number(doc.testsuites[k]);
  return { tests: n('tests'), failures: n('failures'), errors: n('errors'), skipped: n('skipped'), xml };
}

/** The run id a CLI run announced on stderr. */
function runIdOf(run: CliRun): string {
  const id = /^run ([0-9a-f]+) against /m.exec(run.stderr)?.[1];
  if (!id) throw new Error(`the CLI did not announce its run id: ${run.stderr}`);
  return id;
}

/** Pods and containers carrying the label of run `runId` (other runs may share the runtime). */
async function labelled(runId: string): Promise<string[]> {
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const { items } = await client.runtime.ListPodSandbox({});
    const { containers } = await client.runtime.ListContainers({});
    return [...items, ...containers].filter((o) => o.labels[RUN_LABEL] === runId).map((o) => o.id);
  } finally {
    client.close();
  }
}

describe('cri-conformance CLI against a real runtime', function () {
  this.timeout(15 * 60_000);
  before(function () {
    if (!endpoint)
      throw new Error('CONTAINER_RUNTIME_ENDPOINT must name the runtime under test (scripts/test.sh sets it)');
  });

  it('exits 3 with one line within 15 s for an unreachable endpoint, and writes junit.xml', async function () {
    const dir = reportDir();
    const run = await runCli(['--runtime-endpoint', 'unix:///nonexistent.sock', '--report-dir', dir]);
    expect(run.code, run.stderr).to.equal(3);
    expect(run.stderr.trim().split('\n'), 'stderr lines').to.deep.equal([
      'cannot reach runtime endpoint unix:///nonexistent.sock within 10s (UNAVAILABLE: connect ENOENT)',
    ]);
    expect(run.ms).to.be.lessThan(15_000);
    expect(parseJunit(dir).errors).to.equal(1);
  });

  it('picks the first well-known socket that answers, passing over missing and silent ones', async function () {
    const silentPath = join(reportDir(), 'silent.sock');
    const silent = createServer((socket) => socket.destroy()).listen(silentPath);
    try {
      const candidates = [
        { runtime: 'missing', endpoint: 'unix:///nonexistent/runtime.sock' },
        { runtime: 'silent', endpoint: `unix://${silentPath}` },
        { runtime: 'test bed', endpoint },
      ];
      expect(await findWellKnownRuntime(candidates)).to.deep.equal({ runtime: 'test bed', endpoint });
      expect(await findWellKnownRuntime(candidates.slice(0, 2))).to.equal(undefined);
    } finally {
      silent.close();
    }
  });

  it('exits 2 with one line for a wrong flag', async function () {
    const run = await runCli(['--runtime-endpoint', endpoint, '--parallel', 'many']);
    expect(run.code).to.equal(2);
    expect(run.stderr.trim()).to.equal('cri-conformance: --parallel must be a whole number from 1 to 64, got "many"');
  });

  it('exits 1 when the runtime fails a spec, reports the failure, and leaves nothing behind', async function () {
    const dir = reportDir();
    // An unknown runtime handler makes RunPodSandbox, the call under test, fail.
    const run = await runCli([
      '--runtime-endpoint',
      endpoint,
      '--report-dir',
      dir,
      '--focus',
      'RunPodSandbox',
      '--runtime-handler',
      'no-such-handler',
    ]);
    expect(run.code, run.stderr).to.equal(1);
    const junit = parseJunit(dir);
    expect(junit.failures + junit.errors, junit.xml).to.be.greaterThan(0);
    expect(junit.xml).to.include('RunPodSandbox →');
    expect(await labelled(runIdOf(run))).to.deep.equal([]);
  });

  it('exits 0 when only --known-failures tests fail, and 1 when a listed test passes', async function () {
    const first = reportDir();
    const failing = [
      '--runtime-endpoint',
      endpoint,
      '--focus',
      'RunPodSandbox',
      '--focus',
      'Version',
      '--runtime-handler',
      'no-such-handler',
    ];
    expect((await runCli([...failing, '--report-dir', first])).code).to.equal(1);
    const results = JSON.parse(readFileSync(join(first, 'results.json'), 'utf8')) as {
      tests: { fullTitle: string; outcome: string }[];
    };
    const failed = results.tests.filter((t) => t.outcome === 'failed' || t.outcome === 'error').map((t) => t.fullTitle);
    const passed = results.tests.filter((t) => t.outcome === 'passed').map((t) => t.fullTitle);
    expect(failed, 'failures of the deliberately failing run').to.not.deep.equal([]);
    expect(passed, 'passing Version tests').to.not.deep.equal([]);

    const known = join(first, 'known.yaml');
    writeFileSync(
      known,
      failed.map((t) => `- test: ${JSON.stringify(t)}\n  reason: deliberate unknown runtime handler\n`).join(''),
    );
    const listed = await runCli([...failing, '--report-dir', reportDir(), '--known-failures', known]);
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stderr).to.match(new RegExp(`0 failed, 0 errors, \\d+ skipped, ${failed.length} known failures`));

    writeFileSync(
      known,
      [...failed, passed[0]].map((t) => `- test: ${JSON.stringify(t)}\n  reason: listed\n`).join(''),
    );
    const stale = await runCli([...failing, '--report-dir', reportDir(), '--known-failures', known]);
    expect(stale.code, stale.stderr).to.equal(1);
    expect(stale.stderr).to.include(`known failure now passes, remove it from ${known}: ${passed[0]}`);
  });

  it('runs spec files in parallel workers and merges their results and call logs', async function () {
    const dir = reportDir();
    const run = await runCli([
      '--runtime-endpoint',
      endpoint,
      '--report-dir',
      dir,
      '--parallel',
      '2',
      '--focus',
      'Runtime info',
      '--focus',
      '^PodSandbox RunPodSandbox',
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const junit = parseJunit(dir);
    expect(junit.xml).to.include('name="specs/runtime-info.spec.ts"');
    expect(junit.xml).to.include('name="specs/pod-sandbox.spec.ts"');
    const pids = new Set(
      readFileSync(join(dir, 'calls.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { test: string }).test !== undefined),
    );
    expect(pids.size, 'call log has records').to.be.greaterThan(0);
    const coverage = JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8')) as {
      rpcs: { rpc: string; outcome: string }[];
    };
    expect(
      coverage.rpcs.find((r) => r.rpc === 'RunPodSandbox')?.outcome,
      'RunPodSandbox coverage from a worker',
    ).to.equal('passed');
    expect(coverage.rpcs.find((r) => r.rpc === 'Version')?.outcome, 'Version coverage from the other worker').to.equal(
      'passed',
    );
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 130 on ${signal}, writes partial reports and removes what it created`, async function () {
      const dir = reportDir();
      let sent = false;
      const run = await runCli(['--runtime-endpoint', endpoint, '--report-dir', dir], (text, child) => {
        if (!sent && text.includes('✓')) {
          sent = true;
          child.kill(signal);
        }
      });
      expect(sent, `the run printed a passed test before ending: ${run.stdout}`).to.equal(true);
      expect(run.code, run.stderr).to.equal(130);
      expect(run.stderr).to.include('interrupted');
      expect(parseJunit(dir).tests).to.be.greaterThan(0);
      expect(await labelled(runIdOf(run))).to.deep.equal([]);
    });
  }
});
