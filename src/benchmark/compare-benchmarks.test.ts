import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareBenchmarks, formatComparisonMarkdown, formatComparisonText } from './compare-benchmarks.js';
import { sampleReport } from './report-fixture.js';
import { BenchmarkFileError, readBenchmarkJson } from './report.js';

describe('benchmark --compare', function () {
  it('gives old and new p50/p90 and the change in percent per operation and list point', function () {
    const old = sampleReport(1, 'old00001');
    const now = sampleReport(1.5, 'new00002');
    const rows = compareBenchmarks(old, now);
    const run = rows.find((r) => r.key === 'RunPodSandbox');
    expect(run).to.deep.include({ old: { p50Ms: 230, p90Ms: 400 }, new: { p50Ms: 345, p90Ms: 600 } });
    expect(run?.p50Change).to.be.closeTo(50, 1e-9);
    expect(rows.map((r) => r.key)).to.include.members([
      'ListPodSandbox@10',
      'ListPodSandbox@100',
      'ListContainers@100',
    ]);
    const exec = rows.find((r) => r.key === 'ExecSync');
    expect(exec?.p50Change, 'no statistics in either run').to.equal(undefined);
  });

  it('keeps operations only one run measured', function () {
    const old = sampleReport();
    const now = sampleReport();
    now.operations = now.operations.filter((o) => o.name !== 'PodSandboxStatus');
    const rows = compareBenchmarks(old, now);
    expect(rows.find((r) => r.key === 'PodSandboxStatus')).to.deep.include({ new: undefined });
    expect(rows.at(-1)?.key, 'the vanished operation comes last').to.equal('PodSandboxStatus');
  });

  it('prints an aligned table and a Markdown section', function () {
    const old = sampleReport(1, 'old00001');
    const now = sampleReport(0.5, 'new00002');
    const rows = compareBenchmarks(old, now);
    const text = formatComparisonText(rows, old, now);
    expect(text.split('\n')[0]).to.equal(
      'benchmark compare containerd 1.6.20 (run old00001, 2026-01-02T03:04:05.000Z) → containerd 1.6.20 (run new00002, 2026-01-02T03:04:05.000Z)',
    );
    expect(text).to.match(/^RunPodSandbox +230 → 115 +-50\.0% +400 → 200 +-50\.0%$/m);
    const md = formatComparisonMarkdown(rows, old);
    expect(md).to.include('| RunPodSandbox | 230 → 115 | -50.0% | 400 → 200 | -50.0% |');
  });

  it('refuses a file that is not a benchmark.json', function () {
    const dir = mkdtempSync(join(tmpdir(), 'crit-bench-cmp-'));
    try {
      writeFileSync(join(dir, 'results.json'), JSON.stringify({ schema: 'cri-conformance/results/v1', tests: [] }));
      expect(() => readBenchmarkJson(join(dir, 'results.json'))).to.throw(
        BenchmarkFileError,
        'is not a benchmark.json',
      );
      expect(() => readBenchmarkJson(join(dir, 'missing.json'))).to.throw(BenchmarkFileError, 'ENOENT');
      writeFileSync(join(dir, 'good.json'), JSON.stringify(sampleReport()));
      expect(readBenchmarkJson(join(dir, 'good.json')).runId).to.equal('aaaa1111');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
