// report.html of a benchmark: one self-contained page with the SVG chart inline and the tables.
import { fmtMs } from './compare-benchmarks.js';
import type { BenchmarkReport, OperationResult } from './report.js';
import { escapeXml as esc } from './svg.js';

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2430;max-width:1200px}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.n{text-align:right;font-variant-numeric:tabular-nums}pre{white-space:pre-wrap;background:#f8f9fb;padding:.5rem;border-radius:.3rem}
.chart svg{max-width:100%;height:auto;border:1px solid #e3e6ea;border-radius:.4rem}
`;

function statCells(r: OperationResult): string {
  const s = r.stats;
  const nums = [s?.count ?? 0, r.failures].map((v) => `<td class="n">${v}</td>`);
  const ms = [s?.minMs, s?.p50Ms, s?.p90Ms, s?.p99Ms, s?.maxMs, s?.meanMs, s?.stddevMs].map(
    (v) => `<td class="n">${fmtMs(v)}</td>`,
  );
  return [...nums, ...ms, `<td class="n">${r.opsPerSec.toFixed(1)}</td>`].join('');
}

const STAT_TH = ['count', 'failures', 'min', 'p50', 'p90', 'p99', 'max', 'mean', 'stddev', 'ops/s']
  .map((h) => `<th>${h}</th>`)
  .join('');

/** `svg` is benchmark.svg; its XML declaration is dropped when inlined. */
export function renderBenchmarkHtml(report: BenchmarkReport, svg: string, comparisonText = ''): string {
  const rt = report.runtime;
  const p = report.params;
  const opRows = report.operations
    .map(
      (r) =>
        `<tr data-op="${esc(r.name)}"><td>${esc(r.name)}</td><td class="n">${r.concurrency}</td>${statCells(r)}</tr>`,
    )
    .join('\n');
  const listRows = report.listScaling
    .map(
      (r) =>
        `<tr><td>${esc(r.name)}</td><td class="n">${r.objects}</td><td class="n">${r.listed}</td>${statCells(r)}</tr>`,
    )
    .join('\n');
  const failures = [...report.operations, ...report.listScaling]
    .filter((r) => r.failures > 0)
    .map(
      (r) =>
        `<li><b>${esc('objects' in r ? `${r.name} at ${String(r.objects)} objects` : r.name)}</b>: ${r.failures} failed<pre>${esc(r.failureMessages.join('\n'))}</pre></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CRI benchmark — ${esc(rt.name ?? 'runtime')} ${esc(rt.version ?? '')}</title>
<style>${STYLE}</style></head><body data-report="benchmark">
<h1>CRI benchmark</h1>
<p>${esc(rt.name ?? 'runtime')} ${esc(rt.version ?? '')} (CRI ${esc(rt.apiVersion ?? '?')}) at <code>${esc(rt.endpoint)}</code> · run <code>${esc(report.runId)}</code> ·
${esc(report.startedAt)} · ${esc(report.host.os)}, ${report.host.cpus} CPUs${report.interrupted ? ' · <b>interrupted: partial results</b>' : ''}</p>
<p>${p.iterations} iterations, concurrency ${p.concurrency}, list sizes ${esc(p.listSizes.join(', ') || 'none')}, deadline per sample ${esc(p.opTimeout)}.
Latencies in ms; nearest-rank percentiles; ops/s per wall second of the operation's slices.</p>
<div class="chart">
${svg.replace(/^<\?xml[^>]*>\s*/, '')}
</div>
<h2>Operations</h2>
<table id="operations"><thead><tr><th>Operation</th><th>concurrency</th>${STAT_TH}</tr></thead><tbody>
${opRows}
</tbody></table>
<h2>List latency by object count</h2>
<table id="list-scaling"><thead><tr><th>RPC</th><th>objects</th><th>listed</th>${STAT_TH}</tr></thead><tbody>
${listRows}
</tbody></table>
<h2>Failed samples</h2>
${failures ? `<ul>${failures}</ul>` : '<p>None.</p>'}
${comparisonText ? `<h2>Comparison</h2><pre>${esc(comparisonText)}</pre>` : ''}
</body></html>
`;
}
