// Writes every report of a run into the report directory.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushCallLog, type CallRecord } from '../client/call-log.js';
import { loadCri } from '../client/proto.js';
import { computeCoverage, coverageMarkdown, type Coverage } from './coverage.js';
import { writeHtml } from './html.js';
import { writeJunit } from './junit.js';
import type { RunResults } from './results.js';
import { writeResultsJson } from './results-json.js';

export const REPORT_FILES = [
  'junit.xml',
  'results.json',
  'coverage.json',
  'coverage.md',
  'report.html',
  'calls.jsonl',
] as const;

/** Writes junit.xml, results.json, coverage.json/.md, report.html and calls.jsonl; returns the coverage. */
export function writeReports(results: RunResults, reportDir: string, runDir: string): Coverage {
  mkdirSync(reportDir, { recursive: true });
  flushCallLog(runDir);
  const calls = mergeCallLogs(runDir, join(reportDir, 'calls.jsonl'));
  const coverage = computeCoverage(loadCri().definition, calls, results.tests);
  writeJunit(results, join(reportDir, 'junit.xml'));
  writeResultsJson(results, join(reportDir, 'results.json'));
  writeFileSync(join(reportDir, 'coverage.json'), JSON.stringify(coverage, null, 2) + '\n');
  writeFileSync(join(reportDir, 'coverage.md'), coverageMarkdown(coverage));
  writeHtml(results, coverage, join(reportDir, 'report.html'));
  return coverage;
}

/** Concatenates the per-process call logs of the run into one file and returns the records. */
function mergeCallLogs(runDir: string, target: string): CallRecord[] {
  writeFileSync(target, '');
  const records: CallRecord[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(runDir)
      .filter((f) => f.startsWith('calls-') && f.endsWith('.jsonl'))
      .sort();
  } catch {
    return records;
  }
  for (const f of files) {
    const text = readFileSync(join(runDir, f), 'utf8');
    appendFileSync(target, text);
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as CallRecord);
      } catch {
        // a partial line from a killed worker carries nothing usable
      }
    }
  }
  return records;
}
