// benchmark.svg: (1) latency distribution per operation on a log scale: a whisker from min to
// max, a box from p50 to p90, a mark at p99; (2) list latency (p50 solid, p90 dashed) against
// the number of objects. Plain SVG 1.1, well-formed XML, no script or external reference.
import { fmtMs } from './compare-benchmarks.js';
import type { BenchmarkReport, ListScalingResult, OperationResult } from './report.js';

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const W = 900;
const LABEL_W = 200;
const PLOT_X0 = LABEL_W + 10;
const PLOT_X1 = W - 30;
const ROW_H = 24;
const SERIES_COLOURS: Record<string, string> = { ListPodSandbox: '#2563eb', ListContainers: '#d97706' };
const n2 = (x: number): string => (Math.round(x * 10) / 10).toString();

function msLabel(ms: number): string {
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** A round step near range/targetTicks: 1, 2 or 5 × 10^k. */
export function niceStep(range: number, targetTicks = 5): number {
  if (!(range > 0)) return 1;
  const raw = range / targetTicks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

function distributionPanel(ops: OperationResult[], top: number): { svg: string; height: number } {
  const parts: string[] = [
    `<text x="10" y="${top + 16}" class="title">Latency per operation (log scale): whisker min–max, box p50–p90, red mark p99</text>`,
  ];
  const measured = ops.filter((o) => o.stats);
  const rowsTop = top + 32;
  if (measured.length === 0) {
    parts.push(`<text x="10" y="${rowsTop + 16}">no operation has a successful sample</text>`);
    return { svg: parts.join('\n'), height: 60 };
  }
  const lo = 10 ** Math.floor(Math.log10(Math.max(1e-3, Math.min(...measured.map((o) => o.stats!.minMs)))));
  let hi = 10 ** Math.ceil(Math.log10(Math.max(...measured.map((o) => o.stats!.maxMs))));
  if (hi <= lo) hi = lo * 10;
  const x = (ms: number): number =>
    PLOT_X0 +
    ((Math.log10(Math.max(ms, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (PLOT_X1 - PLOT_X0);
  const rowsBottom = rowsTop + ops.length * ROW_H;
  for (let t = lo; t <= hi * 1.0001; t *= 10) {
    const tx = n2(x(t));
    parts.push(`<line x1="${tx}" y1="${rowsTop}" x2="${tx}" y2="${rowsBottom}" class="grid"/>`);
    parts.push(
      `<text x="${tx}" y="${rowsBottom + 14}" text-anchor="middle" class="tick">${escapeXml(msLabel(Number(t.toPrecision(3))))}</text>`,
    );
  }
  ops.forEach((o, i) => {
    const y = rowsTop + i * ROW_H + ROW_H / 2;
    parts.push(`<g data-op="${escapeXml(o.name)}">`);
    parts.push(
      `<text x="${LABEL_W}" y="${n2(y + 4)}" text-anchor="end">${escapeXml(o.name)}${o.concurrency > 1 ? ` ×${o.concurrency}` : ''}</text>`,
    );
    const s = o.stats;
    if (!s) {
      parts.push(
        `<text x="${PLOT_X0}" y="${n2(y + 4)}" class="fail">no successful sample (${o.failures} failed)</text></g>`,
      );
      return;
    }
    const tip = `${o.name}: n=${s.count}, failed ${o.failures}, min ${fmtMs(s.minMs)}, p50 ${fmtMs(s.p50Ms)}, p90 ${fmtMs(s.p90Ms)}, p99 ${fmtMs(s.p99Ms)}, max ${fmtMs(s.maxMs)} ms`;
    parts.push(`<title>${escapeXml(tip)}</title>`);
    parts.push(`<line x1="${n2(x(s.minMs))}" y1="${n2(y)}" x2="${n2(x(s.maxMs))}" y2="${n2(y)}" class="whisker"/>`);
    parts.push(
      `<rect x="${n2(x(s.p50Ms))}" y="${n2(y - 7)}" width="${n2(Math.max(1, x(s.p90Ms) - x(s.p50Ms)))}" height="14" class="box"/>`,
    );
    parts.push(
      `<line x1="${n2(x(s.p50Ms))}" y1="${n2(y - 7)}" x2="${n2(x(s.p50Ms))}" y2="${n2(y + 7)}" class="median"/>`,
    );
    parts.push(`<line x1="${n2(x(s.p99Ms))}" y1="${n2(y - 9)}" x2="${n2(x(s.p99Ms))}" y2="${n2(y + 9)}" class="p99"/>`);
    parts.push(`<text x="${PLOT_X1 + 4}" y="${n2(y + 4)}" class="tick">${escapeXml(fmtMs(s.p50Ms))}</text>`);
    parts.push('</g>');
  });
  return { svg: parts.join('\n'), height: rowsBottom + 24 - top };
}

function scalingPanel(points: ListScalingResult[], top: number): { svg: string; height: number } {
  const parts: string[] = [
    `<text x="10" y="${top + 16}" class="title">List latency vs objects present: p50 solid, p90 dashed (ms)</text>`,
  ];
  const measured = points.filter((p) => p.stats);
  const plotTop = top + 40;
  const plotBottom = plotTop + 200;
  if (measured.length === 0) {
    parts.push(`<text x="10" y="${plotTop + 10}">no list-scaling point</text>`);
    return { svg: parts.join('\n'), height: 60 };
  }
  const maxN = Math.max(...measured.map((p) => p.objects));
  const xStep = niceStep(maxN);
  const xMax = Math.ceil(maxN / xStep) * xStep;
  const maxMs = Math.max(...measured.map((p) => p.stats!.p90Ms));
  const yStep = niceStep(maxMs);
  const yMax = Math.max(yStep, Math.ceil(maxMs / yStep) * yStep);
  const x0 = 70;
  const x = (n: number): number => x0 + (n / xMax) * (PLOT_X1 - x0);
  const y = (ms: number): number => plotBottom - (ms / yMax) * (plotBottom - plotTop);
  for (let t = 0; t <= xMax + xStep / 2; t += xStep) {
    parts.push(`<line x1="${n2(x(t))}" y1="${plotTop}" x2="${n2(x(t))}" y2="${plotBottom}" class="grid"/>`);
    parts.push(
      `<text x="${n2(x(t))}" y="${plotBottom + 14}" text-anchor="middle" class="tick">${Number(t.toPrecision(6))}</text>`,
    );
  }
  for (let t = 0; t <= yMax + yStep / 2; t += yStep) {
    parts.push(`<line x1="${x0}" y1="${n2(y(t))}" x2="${PLOT_X1}" y2="${n2(y(t))}" class="grid"/>`);
    parts.push(
      `<text x="${x0 - 6}" y="${n2(y(t) + 4)}" text-anchor="end" class="tick">${Number(t.toPrecision(6))}</text>`,
    );
  }
  parts.push(
    `<text x="${n2((x0 + PLOT_X1) / 2)}" y="${plotBottom + 30}" text-anchor="middle" class="tick">objects of the run present</text>`,
  );
  let legendX = x0;
  for (const rpc of ['ListPodSandbox', 'ListContainers'] as const) {
    const series = measured.filter((p) => p.name === rpc).sort((a, b) => a.objects - b.objects);
    if (series.length === 0) continue;
    const colour = SERIES_COLOURS[rpc];
    const path = (pick: (p: ListScalingResult) => number): string =>
      series.map((p) => `${n2(x(p.objects))},${n2(y(pick(p)))}`).join(' ');
    parts.push(`<g data-series="${rpc}">`);
    parts.push(`<polyline points="${path((p) => p.stats!.p50Ms)}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    parts.push(
      `<polyline points="${path((p) => p.stats!.p90Ms)}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="5 4"/>`,
    );
    for (const p of series) {
      parts.push(
        `<circle cx="${n2(x(p.objects))}" cy="${n2(y(p.stats!.p50Ms))}" r="3" fill="${colour}"><title>${escapeXml(`${rpc} with ${p.objects} objects: p50 ${fmtMs(p.stats!.p50Ms)} ms, p90 ${fmtMs(p.stats!.p90Ms)} ms`)}</title></circle>`,
      );
    }
    parts.push(
      `<rect x="${legendX}" y="${top + 24}" width="12" height="4" fill="${colour}"/><text x="${legendX + 16}" y="${top + 30}" class="tick">${rpc}</text>`,
    );
    parts.push('</g>');
    legendX += 150;
  }
  return { svg: parts.join('\n'), height: plotBottom + 40 - top };
}

export function renderSvg(report: BenchmarkReport): string {
  const dist = distributionPanel(report.operations, 0);
  const scaling = scalingPanel(report.listScaling, dist.height + 10);
  const height = Math.ceil(dist.height + 10 + scaling.height);
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="system-ui, sans-serif" font-size="12">
<style>
.title{font-size:13px;font-weight:600}.tick{fill:#4b5563;font-size:11px}.grid{stroke:#e5e7eb}
.whisker{stroke:#6b7280;stroke-width:1.5}.box{fill:#93c5fd;stroke:#2563eb}.median{stroke:#1e3a8a;stroke-width:2}
.p99{stroke:#dc2626;stroke-width:2}.fail{fill:#b91c1c}
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${dist.svg}
${scaling.svg}
</svg>
`;
}
