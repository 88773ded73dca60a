// benchmark.md: the run, one table of operations, one of list latency by object count, and the
// failures with their first messages.
import { fmtMs } from './compare-benchmarks.js';
import type { BenchmarkReport, OperationResult } from './report.js';

const STAT_HEADER = ['count', 'failures', 'min', 'p50', 'p90', 'p99', 'max', 'mean', 'stddev', 'ops/s'];

function statCells(r: OperationResult): string[] {
  const s = r.stats;
  return [
    String(s?.count ?? 0),
    String(r.failures),
    ...[s?.minMs, s?.p50Ms, s?.p90Ms, s?.p99Ms, s?.maxMs, s?.meanMs, s?.stddevMs].map(fmtMs),
    r.opsPerSec.toFixed(r.opsPerSec >= 100 ? 0 : 1),
  ];
}

const row = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const rule = (left: number, right: number): string =>
  `|${[...Array<string>(left).fill('---'), ...Array<string>(right).fill('---:')].join('|')}|`;

export function renderMarkdown(report: BenchmarkReport, comparison = ''): string {
  const rt = report.runtime;
  const p = report.params;
  const lines = [
    '# CRI benchmark',
    '',
    `${rt.name ?? 'runtime'} ${rt.version ?? ''} (CRI ${rt.apiVersion ?? '?'}) at \`${rt.endpoint}\`${rt.handler ? `, runtime handler \`${rt.handler}\`` : ''}; ` +
      `run \`${report.runId}\`, ${report.startedAt}; ${report.host.os}, ${report.host.cpus} CPUs, Node ${report.host.node}; cri-conformance ${report.suiteVersion}.`,
    '',
    `Parameters: ${p.iterations} iterations, concurrency ${p.concurrency}, list sizes ${p.listSizes.join(', ') || 'none'}, ` +
      `deadline per sample ${p.opTimeout}, pull images ${p.pullImages.map((r) => `\`${r}\``).join(', ') || 'none'}.`,
    ...(report.interrupted ? ['', '**Interrupted: partial results.**'] : []),
    '',
    'Latencies in milliseconds; percentiles by nearest rank; stddev of the sample (n − 1); ops/s = successful',
    'operations per wall second of the slices in which that operation ran, at the concurrency shown.',
    '',
    '## Operations',
    '',
    row(['operation', 'concurrency', ...STAT_HEADER]),
    rule(1, STAT_HEADER.length + 1),
    ...report.operations.map((r) => row([r.name, String(r.concurrency), ...statCells(r)])),
    '',
  ];
  if (report.listScaling.length > 0) {
    lines.push(
      '## List latency by object count',
      '',
      'Unfiltered list calls with N objects of this run present; "listed" is the number of items the runtime returned (other objects on the runtime included).',
      '',
      row(['RPC', 'objects', 'listed', ...STAT_HEADER]),
      rule(1, STAT_HEADER.length + 2),
      ...report.listScaling.map((r) => row([r.name, String(r.objects), String(r.listed), ...statCells(r)])),
      '',
    );
  }
  const failed = [...report.operations, ...report.listScaling].filter((r) => r.failures > 0);
  lines.push(`## Failed samples (${failed.reduce((n, r) => n + r.failures, 0)})`, '');
  if (failed.length === 0) lines.push('None.', '');
  for (const r of failed) {
    const name = 'objects' in r ? `${r.name} at ${String(r.objects)} objects` : r.name;
    lines.push(`- **${name}**: ${r.failures} failed`);
    for (const m of r.failureMessages) lines.push(`  - \`${m.replace(/`/g, "'").replace(/\s+/g, ' ')}\``);
  }
  lines.push('');
  if (comparison) lines.push(comparison);
  return lines.join('\n');
}
