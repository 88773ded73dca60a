// The benchmark's files: benchmark.json, benchmark.md, benchmark.svg and report.html in the report
// directory, with the comparison against an earlier benchmark.json when one was given (also
// printed). A file that cannot be written is a warning: the measurements are in the others.
import { mkdirSync, writeFileSync } from 'node:fs';
import { say } from '../common/say.js';
import { compareBenchmarks, formatComparisonMarkdown, formatComparisonText } from './compare-benchmarks.js';
import { renderBenchmarkHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { BenchmarkReport } from './report.js';
import { renderSvg } from './svg.js';

export function writeOutputs(report: BenchmarkReport, reportDir: string, old: BenchmarkReport | undefined): void {
  try {
    mkdirSync(reportDir, { recursive: true });
    let comparisonMd = '';
    let comparisonText = '';
    if (old) {
      const rows = compareBenchmarks(old, report);
      comparisonText = formatComparisonText(rows, old, report);
      comparisonMd = formatComparisonMarkdown(rows, old);
      process.stdout.write(comparisonText);
    }
    const svg = renderSvg(report);
    writeFileSync(`${reportDir}/benchmark.json`, JSON.stringify(report, null, 2) + '\n');
    writeFileSync(`${reportDir}/benchmark.md`, renderMarkdown(report, comparisonMd));
    writeFileSync(`${reportDir}/benchmark.svg`, svg);
    writeFileSync(`${reportDir}/report.html`, renderBenchmarkHtml(report, svg, comparisonText));
  } catch (err) {
    say(`warning: could not write the benchmark files to ${reportDir}: ${(err as Error).message}`);
  }
}
