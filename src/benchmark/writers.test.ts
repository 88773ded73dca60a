import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { XMLValidator } from 'fast-xml-parser';
import { renderMarkdown } from './markdown.js';
import { niceStep, renderSvg } from './svg.js';
import { renderBenchmarkHtml } from './html.js';
import { sampleReport } from './report-fixture.js';
import { BENCHMARK_SCHEMA, type BenchmarkReport } from './report.js';

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

function expectWellFormed(svg: string): void {
  expect(XMLValidator.validate(svg), 'benchmark.svg is well-formed XML').to.equal(true);
  // scripts/test.sh installs libxml2-utils; a developer machine without it still gets the check above
  if (hasXmllint) execFileSync('xmllint', ['--noout', '-'], { input: svg });
}

describe('benchmark writers', function () {
  it('derives statistics and ops/s from the raw samples in benchmark.json', function () {
    const r = sampleReport();
    expect(r.schema).to.equal(BENCHMARK_SCHEMA);
    const run = r.operations[0];
    expect(run.stats).to.include({ count: 5, minMs: 210, p50Ms: 230, p90Ms: 400, maxMs: 400, meanMs: 262 });
    expect(run.opsPerSec, '5 samples in 0.7 s').to.equal(7.143);
    expect(r.operations[2].stats, 'no successful ExecSync').to.equal(undefined);
  });

  it('renders benchmark.md with one row per operation and per list point, and the failures', function () {
    const md = renderMarkdown(sampleReport());
    expect(md).to.include(
      '| operation | concurrency | count | failures | min | p50 | p90 | p99 | max | mean | stddev | ops/s |',
    );
    expect(md).to.include('| RunPodSandbox | 2 | 5 | 0 | 210 | 230 | 400 | 400 | 400 | 262 | 78.5 | 7.1 |');
    expect(md).to.include('| ExecSync | 2 | 0 | 2 | – | – | – | – | – | – | – | 0.0 |');
    expect(md).to.include(
      '| ListPodSandbox | 100 | 101 | 3 | 0 | 7.20 | 8.00 | 9.60 | 9.60 | 9.60 | 8.27 | 1.22 | 188 |',
    );
    expect(md).to.include('- **ExecSync**: 2 failed');
    expect(md).to.include('DEADLINE_EXCEEDED');
    expect(md).to.include('containerd 1.6.20 (CRI v1)');
  });

  it('renders a well-formed SVG with a row per operation and a line per list RPC', function () {
    const svg = renderSvg(sampleReport());
    expectWellFormed(svg);
    for (const op of ['RunPodSandbox', 'PodSandboxStatus', 'ExecSync']) expect(svg).to.include(`data-op="${op}"`);
    expect(svg).to.include('no successful sample (2 failed)');
    expect(svg).to.include('data-series="ListPodSandbox"');
    expect(svg).to.include('data-series="ListContainers"');
    expect(svg.match(/<polyline /g)?.length, 'p50 and p90 line per RPC').to.equal(4);
  });

  it('renders a well-formed SVG for a report without any measurement (an early interrupt)', function () {
    const empty: BenchmarkReport = { ...sampleReport(), operations: [], listScaling: [], interrupted: true };
    const svg = renderSvg(empty);
    expectWellFormed(svg);
    expect(svg).to.include('no operation has a successful sample');
    expect(svg).to.include('no list-scaling point');
  });

  it('embeds the SVG inline in report.html and escapes messages', function () {
    const report = sampleReport();
    const svg = renderSvg(report);
    const html = renderBenchmarkHtml(report, svg, 'a → b');
    expect(html).to.include('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).to.not.include('<?xml');
    expect(html).to.include('data-op="ExecSync"');
    expect(html).to.include('&lt;&amp;&gt;');
    expect(html).to.include('<h2>Comparison</h2><pre>a → b</pre>');
  });

  it('picks round axis steps', function () {
    expect(niceStep(500)).to.equal(100);
    expect(niceStep(9.6)).to.equal(2);
    expect(niceStep(5)).to.equal(1);
    expect(niceStep(0)).to.equal(1);
  });
});
