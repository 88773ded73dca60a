// `benchmark --compare OLD.json`: per operation (and list size) the old and new p50/p90 and the
// change in percent. Positive is slower.
import { resultKey, type BenchmarkReport } from './report.js';

export interface ComparisonRow {
  key: string;
  old?: { p50Ms: number; p90Ms: number };
  new?: { p50Ms: number; p90Ms: number };
  /** Change of p50 and p90 in percent, when both runs have statistics. */
  p50Change?: number;
  p90Change?: number;
}

function statsByKey(report: BenchmarkReport): Map<string, { p50Ms: number; p90Ms: number } | undefined> {
  const m = new Map<string, { p50Ms: number; p90Ms: number } | undefined>();
  for (const r of [...report.operations, ...report.listScaling])
    m.set(resultKey(r), r.stats ? { p50Ms: r.stats.p50Ms, p90Ms: r.stats.p90Ms } : undefined);
  return m;
}

const change = (from: number, to: number): number | undefined => (from > 0 ? ((to - from) / from) * 100 : undefined);

export function compareBenchmarks(oldRun: BenchmarkReport, newRun: BenchmarkReport): ComparisonRow[] {
  const before = statsByKey(oldRun);
  const after = statsByKey(newRun);
  const keys = [...after.keys(), ...[...before.keys()].filter((k) => !after.has(k))];
  return keys.map((key) => {
    const o = before.get(key);
    const n = after.get(key);
    const row: ComparisonRow = { key, old: o, new: n };
    if (o && n) {
      row.p50Change = change(o.p50Ms, n.p50Ms);
      row.p90Change = change(o.p90Ms, n.p90Ms);
    }
    return row;
  });
}

export const fmtMs = (ms: number | undefined): string =>
  ms === undefined ? '–' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
export const fmtPct = (pct: number | undefined): string =>
  pct === undefined ? '–' : `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;

function cells(row: ComparisonRow): string[] {
  return [
    row.key,
    `${fmtMs(row.old?.p50Ms)} → ${fmtMs(row.new?.p50Ms)}`,
    fmtPct(row.p50Change),
    `${fmtMs(row.old?.p90Ms)} → ${fmtMs(row.new?.p90Ms)}`,
    fmtPct(row.p90Change),
  ];
}

const HEADER = ['operation', 'p50 ms old → new', 'p50 Δ', 'p90 ms old → new', 'p90 Δ'];

function who(r: BenchmarkReport): string {
  return `${r.runtime.name ?? 'runtime'} ${r.runtime.version ?? ''} (run ${r.runId}, ${r.startedAt})`.replace(
    /\s+/g,
    ' ',
  );
}

/** A plain-text table for the terminal. */
export function formatComparisonText(rows: ComparisonRow[], oldRun: BenchmarkReport, newRun: BenchmarkReport): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const lines = table.map((r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  return [`benchmark compare ${who(oldRun)} → ${who(newRun)}`, ...lines].join('\n') + '\n';
}

/** The same as a Markdown section. */
export function formatComparisonMarkdown(rows: ComparisonRow[], oldRun: BenchmarkReport): string {
  return [
    `## Compared with run ${oldRun.runId} (${oldRun.startedAt})`,
    '',
    `Positive Δ is slower. Old: ${who(oldRun)}.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
    '',
  ].join('\n');
}
