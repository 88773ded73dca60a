// report.html: one self-contained page (no network) with the run summary, CRI areas × outcome,
// RPC coverage with bars, field coverage by message type, and every failure with its message.
import { writeFileSync } from 'node:fs';
import type { Coverage } from './coverage.js';
import type { MessageTypeCoverage } from './message-coverage.js';
import { countOutcomes, type Outcome, type RunResults } from './results.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const OUTCOMES: Outcome[] = ['passed', 'failed', 'error', 'skipped'];

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2430;max-width:1200px}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
th{background:#f4f6f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pill{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem}
.passed{background:#d8f3dc;color:#1b5e20}.failed{background:#ffd6d6;color:#8b0000}.error{background:#ffe8c2;color:#7a4500}
.skipped,.unsupported{background:#e7e9ee;color:#3a4250}.not-exercised{background:#fff;color:#8a93a0;border:1px dashed #c5cad3}
.bar{background:#eef0f3;height:.7rem;width:10rem;border-radius:.35rem;overflow:hidden;display:inline-block;vertical-align:middle}
.bar>span{display:block;height:100%;background:#3b82f6}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #e3e6ea;border-radius:.5rem;padding:.6rem 1rem;min-width:8rem}
.card b{font-size:1.4rem;margin-right:.35rem}pre{white-space:pre-wrap;background:#f8f9fb;padding:.5rem;border-radius:.3rem;margin:.3rem 0 0}
`;

export function renderHtml(results: RunResults, coverage: Coverage): string {
  const counts = countOutcomes(results.tests);
  const p = results.properties;
  const wall = results.finishedAt
    ? ((results.finishedAt.getTime() - results.startedAt.getTime()) / 1000).toFixed(1)
    : '?';
  const cards = [
    ['tests', results.tests.length],
    ['passed', counts.passed],
    ['failed', counts.failed],
    ['errors', counts.error],
    ['skipped', counts.skipped],
    ['RPCs exercised', `${coverage.rpcsExercised}/${coverage.rpcsTotal}`],
    ['request fields', `${Math.round(coverage.fieldCoverage * 100)}%`],
    ['message-type fields', `${Math.round(coverage.messageFieldCoverage * 100)}%`],
    ['wall time', `${wall}s`],
  ]
    .map(
      ([k, v]) => `<div class="card" data-metric="${esc(String(k))}"><b>${esc(String(v))}</b> ${esc(String(k))}</div>`,
    )
    .join('');

  const areas = new Map<string, Record<Outcome, number>>();
  for (const t of results.tests) {
    const area = t.titlePath[0] ?? t.file;
    const row = areas.get(area) ?? { passed: 0, failed: 0, error: 0, skipped: 0 };
    row[t.outcome] += 1;
    areas.set(area, row);
  }
  const areaRows = [...areas]
    .map(
      ([area, row]) =>
        `<tr><td>${esc(area)}</td>${OUTCOMES.map((o) => `<td class="n">${row[o] || ''}</td>`).join('')}</tr>`,
    )
    .join('');

  const rpcRows = coverage.rpcs
    .map((r) => {
      const pct = Math.round(r.fieldCoverage * 100);
      const codes = Object.entries(r.statusCodes)
        .map(([k, v]) => `${k}×${v}`)
        .join(' ');
      return `<tr data-rpc="${esc(r.rpc)}"><td>${esc(r.service)}</td><td>${esc(r.rpc)}</td><td><span class="pill ${r.outcome}">${r.outcome}</span></td><td class="n">${r.tests.length}</td><td class="n">${r.callsUnderTest}</td><td class="n">${r.callsSetup}</td><td>${esc(codes)}</td><td><span class="bar"><span style="width:${pct}%"></span></span> ${r.fieldsSet.length}/${r.fieldsTotal} (${pct}%)</td></tr>`;
    })
    .join('');

  const typeRows = coverage.messageTypes
    .filter((t) => t.fieldsTotal > 0)
    .map((t) => `<tr data-type="${esc(t.type)}"><td>${esc(t.type)}</td>${fieldBar(t)}<td>${unsetList(t)}</td></tr>`)
    .join('');

  const failures = results.tests
    .filter((t) => t.outcome === 'failed' || t.outcome === 'error')
    .map(
      (t) =>
        `<li><span class="pill ${t.outcome}">${t.outcome}</span> <b>${esc(t.fullTitle)}</b> <small>${esc(t.file)}</small>${t.knownFailure ? ` <i>(known failure: ${esc(t.knownFailure)})</i>` : ''}<pre>${esc(t.message ?? '')}</pre></li>`,
    )
    .join('');
  const skipped = results.tests
    .filter((t) => t.outcome === 'skipped')
    .map((t) => `<li>${esc(t.fullTitle)} — ${esc(t.message ?? '')}</li>`)
    .join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CRI conformance — ${esc(p['runtime.name'] ?? 'runtime')} ${esc(p['runtime.version'] ?? '')}</title>
<style>${STYLE}</style></head><body>
<h1>CRI conformance report</h1>
<p>${esc(p['runtime.name'] ?? 'runtime')} ${esc(p['runtime.version'] ?? '')} (CRI ${esc(p['runtime.api_version'] ?? '?')}) at <code>${esc(p['runtime.endpoint'] ?? '')}</code> ·
run <code>${esc(results.runId)}</code> · ${esc(results.startedAt.toISOString())} · suite ${esc(p['suite.version'] ?? '')}${results.interrupted ? ' · <b>interrupted: partial results</b>' : ''}</p>
<div class="cards">${cards}</div>
<h2>CRI areas × outcome</h2>
<table id="areas"><thead><tr><th>Area</th>${OUTCOMES.map((o) => `<th>${o}</th>`).join('')}</tr></thead><tbody>${areaRows}</tbody></table>
<h2>RPC coverage</h2>
<table id="rpcs"><thead><tr><th>Service</th><th>RPC</th><th>Outcome</th><th>Tests</th><th>Calls under test</th><th>Setup calls</th><th>Status codes</th><th>Request fields set</th></tr></thead><tbody>${rpcRows}</tbody></table>
<h2>Field coverage by message type</h2>
<p>${coverage.messageFieldsSet} of ${coverage.messageFieldsTotal} fields of the message types reachable from the requests set by a call under test; each field of each type counted once, whichever request path reached it.</p>
<table id="message-types"><thead><tr><th>Message type</th><th>Fields set</th><th>Unset fields (reason)</th></tr></thead><tbody>${typeRows}</tbody></table>
<h2>Failures and errors (${counts.failed + counts.error})</h2>
<ul id="failures">${failures || '<li>none</li>'}</ul>
<h2>Skipped (${counts.skipped})</h2>
<ul id="skipped">${skipped || '<li>none</li>'}</ul>
</body></html>
`;
}

function fieldBar(t: MessageTypeCoverage): string {
  const pct = Math.round(t.fieldCoverage * 100);
  return `<td><span class="bar"><span style="width:${pct}%"></span></span> ${t.fieldsSet.length}/${t.fieldsTotal} (${pct}%)</td>`;
}

/** The unset fields of a type, each with its reason (the one-line why on hover). */
function unsetList(t: MessageTypeCoverage): string {
  return t.unset
    .map((u) => `<code title="${esc(u.why)}">${esc(u.field)}</code> <small>${esc(u.reason)}</small>`)
    .join(', ');
}

export function writeHtml(results: RunResults, coverage: Coverage, path: string): void {
  writeFileSync(path, renderHtml(results, coverage));
}
