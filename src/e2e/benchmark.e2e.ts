// End-to-end tests of `cri-conformance benchmark` against a real runtime (the local test bed in
// `npm test`), in a short configuration: every output file, --compare, per-sample deadlines,
// usage errors, Ctrl-C, and nothing the benchmark created left behind.
import { expect } from 'chai';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../client/cri-client.js';
import { RUN_LABEL } from '../framework/run/context.js';
import { OPERATIONS } from '../benchmark/params.js';
import type { BenchmarkReport } from '../benchmark/report.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runBenchmark(
  args: string[],
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'benchmark', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// Every report directory of this file, under one directory that is removed after the last test.
const scratch = mkdtempSync(join(tmpdir(), 'crit-bench-e2e-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const reportDir = (): string => mkdtempSync(join(scratch, 'run-'));

function runIdOf(run: CliRun): string {
  const id = /^benchmark ([0-9a-f]+) against /m.exec(run.stderr)?.[1];
  if (!id) throw new Error(`the benchmark did not announce its run id: ${run.stderr}`);
  return id;
}

/** Pods and containers of run `runId` still on the runtime, and which of `images` it holds. */
async function leftovers(runId: string, images: string[] = []): Promise<string[]> {
  const client = connect({ runtimeEndpoint: endpoint });
  try {
    const { items } = await client.runtime.ListPodSandbox({}, { timeoutMs: 30_000 });
    const { containers } = await client.runtime.ListContainers({}, { timeoutMs: 30_000 });
    const objects = [...items, ...containers].filter((o) => o.labels[RUN_LABEL] === runId).map((o) => o.id);
    for (const ref of images) {
      const { image } = await client.image.ImageStatus({ image: { image: ref } }, { timeoutMs: 30_000 });
      if (image?.id) objects.push(ref);
    }
    return objects;
  } finally {
    client.close();
  }
}

function readReport(dir: string): BenchmarkReport {
  return JSON.parse(readFileSync(join(dir, 'benchmark.json'), 'utf8')) as BenchmarkReport;
}

describe('cri-conformance benchmark against a real runtime', function () {
  this.timeout(5 * 60_000);
  let dir = '';
  let first: BenchmarkReport;

  before(function () {
    if (!endpoint)
      throw new Error('CONTAINER_RUNTIME_ENDPOINT must name the runtime under test (scripts/test.sh sets it)');
  });

  it('measures every operation in a short run, writes all four files and leaves nothing behind', async function () {
    dir = reportDir();
    const run = await runBenchmark([
      '--runtime-endpoint',
      endpoint,
      '--iterations',
      '2',
      '--concurrency',
      '2',
      '--list-sizes',
      '2,5',
      '--op-timeout',
      '60s',
      '--report-dir',
      dir,
    ]);
    expect(run.code, run.stderr).to.equal(0);
    first = readReport(dir);
    expect(first.schema).to.equal('cri-conformance/benchmark/v1');
    expect(first.runtime.name, 'runtime name from Version').to.be.a('string').and.not.equal('');
    expect(first.operations.map((o) => o.name)).to.deep.equal(
      OPERATIONS.filter((o) => !o.startsWith('List') || o === 'ListImages'),
    );
    for (const op of first.operations) {
      expect(op.failures, `${op.name} failures: ${op.failureMessages.join('; ')}`).to.equal(0);
      expect(op.stats?.count, `${op.name} samples`).to.equal(2);
      expect(op.samplesMs, `${op.name} raw samples`).to.have.length(2);
      expect(op.stats!.p50Ms).to.be.within(op.stats!.minMs, op.stats!.maxMs);
      expect(op.opsPerSec, `${op.name} ops/s`).to.be.greaterThan(0);
    }
    expect(first.listScaling.map((p) => `${p.name}@${p.objects}`)).to.deep.equal([
      'ListPodSandbox@2',
      'ListPodSandbox@5',
      'ListContainers@2',
      'ListContainers@5',
    ]);
    for (const p of first.listScaling) {
      expect(p.failures, `${p.name}@${p.objects}: ${p.failureMessages.join('; ')}`).to.equal(0);
      expect(p.listed, `${p.name} items returned with ${p.objects} objects present`).to.be.at.least(p.objects);
    }

    const md = readFileSync(join(dir, 'benchmark.md'), 'utf8');
    expect(md).to.include(
      '| operation | concurrency | count | failures | min | p50 | p90 | p99 | max | mean | stddev | ops/s |',
    );
    expect(md).to.match(/^\| RunPodSandbox \| 2 \| 2 \| 0 \| /m);
    expect(md).to.match(/^\| ListContainers \| 5 \| \d+ \| 2 \| 0 \| /m);
    execFileSync('xmllint', ['--noout', join(dir, 'benchmark.svg')]);
    const svg = readFileSync(join(dir, 'benchmark.svg'), 'utf8');
    expect(svg).to.include('data-op="ExecSync"');
    expect(svg).to.include('data-series="ListContainers"');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).to.include(
      svg
        .replace(/^<\?xml[^>]*>\s*/, '')
        .trim()
        .split('\n')[0],
    );
    expect(html).to.include('data-op="PullImage"');

    expect(first.params.pullImages, 'one generated image per concurrent pull').to.have.length(2);
    expect(await leftovers(runIdOf(run), first.params.pullImages)).to.deep.equal([]);
  });

  it('--compare prints old → new p50/p90 per operation and writes the comparison to benchmark.md', async function () {
    if (!first) this.skip();
    const next = reportDir();
    const run = await runBenchmark([
      '--runtime-endpoint',
      endpoint,
      '--operations',
      'ExecSync',
      '--iterations',
      '2',
      '--list-sizes',
      '',
      '--report-dir',
      next,
      '--compare',
      join(dir, 'benchmark.json'),
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(new RegExp(`^benchmark compare .*\\(run ${first.runId}, `));
    expect(run.stdout).to.match(/^ExecSync +[\d.]+ → [\d.]+ +[+-][\d.]+% +[\d.]+ → [\d.]+ +[+-][\d.]+%$/m);
    expect(run.stdout, 'not measured this time').to.match(/^RunPodSandbox +[\d.]+ → – +–/m);
    expect(readFileSync(join(next, 'benchmark.md'), 'utf8')).to.include(`## Compared with run ${first.runId}`);
  });

  it('fails a sample that outlives its deadline with the RPC message, and exits 0', async function () {
    const d = reportDir();
    const run = await runBenchmark([
      '--runtime-endpoint',
      endpoint,
      '--operations',
      'ExecSync',
      '--iterations',
      '2',
      '--op-timeout',
      '1ms',
      '--list-sizes',
      '',
      '--report-dir',
      d,
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const exec = readReport(d).operations.find((o) => o.name === 'ExecSync');
    expect(exec?.failures).to.equal(2);
    expect(exec?.failureMessages[0]).to.match(/^ExecSync → DEADLINE_EXCEEDED \(4\)/);
    expect(readFileSync(join(d, 'benchmark.md'), 'utf8')).to.include('- **ExecSync**: 2 failed');
    expect(await leftovers(runIdOf(run))).to.deep.equal([]);
  });

  it('exits 2 with one line for a malformed params file, an unknown key and a negative number', async function () {
    const d = reportDir();
    const bad = join(d, 'params.yaml');
    writeFileSync(bad, 'iterations: [3\n');
    const malformed = await runBenchmark(['--runtime-endpoint', endpoint, '--params', bad]);
    expect(malformed.code).to.equal(2);
    expect(malformed.stderr.trim().split('\n')).to.have.length(1);
    expect(malformed.stderr).to.match(new RegExp(`^cri-conformance: params file ${bad} is not valid YAML: `));
    writeFileSync(bad, 'iterations: 3\nrepeat: 2\n');
    expect((await runBenchmark(['--runtime-endpoint', endpoint, '--params', bad])).stderr.trim()).to.match(
      /unknown key "repeat"/,
    );
    const negative = await runBenchmark(['--runtime-endpoint', endpoint, '--concurrency', '-1']);
    expect(negative.code).to.equal(2);
    expect(negative.stderr.trim()).to.equal('cri-conformance: --concurrency must be from 1 to 64, got -1');
    expect(existsSync(join(d, 'benchmark.json'))).to.equal(false);
  });

  it('exits 3 with one line for an unreachable endpoint', async function () {
    const run = await runBenchmark(['--runtime-endpoint', 'unix:///nonexistent.sock', '--report-dir', reportDir()]);
    expect(run.code).to.equal(3);
    expect(run.stderr.trim().split('\n')).to.deep.equal([
      'cannot reach runtime endpoint unix:///nonexistent.sock within 10s (UNAVAILABLE: connect ENOENT)',
    ]);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 130 on ${signal}, writes the partial files and removes what it created`, async function () {
      const d = reportDir();
      let sent = false;
      const run = await runBenchmark(
        [
          '--runtime-endpoint',
          endpoint,
          '--operations',
          'ListPodSandbox',
          '--iterations',
          '2',
          '--list-sizes',
          '3,40',
          '--report-dir',
          d,
        ],
        (text, child) => {
          if (!sent && text.includes('ListPodSandbox: 40 pods')) {
            sent = true;
            child.kill(signal);
          }
        },
      );
      expect(sent, run.stderr).to.equal(true);
      expect(run.code, run.stderr).to.equal(130);
      expect(run.stderr).to.include('interrupted: no new sample starts');
      const report = readReport(d);
      expect(report.interrupted).to.equal(true);
      expect(
        report.listScaling.map((p) => p.objects),
        'the size measured before the interrupt',
      ).to.deep.equal([3]);
      execFileSync('xmllint', ['--noout', join(d, 'benchmark.svg')]);
      expect(await leftovers(runIdOf(run))).to.deep.equal([]);
    });
  }
});
