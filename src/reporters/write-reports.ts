// Writes every report of a run into the report directory.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { flushCallLog } from '../client/call-log.js';
import { join } from 'node:path';
import { writeJunit } from './junit.js';
import type { RunResults } from './results.js';

export function writeReports(results: RunResults, reportDir: string, runDir: string): void {
  mkdirSync(reportDir, { recursive: true });
  writeJunit(results, join(reportDir, 'junit.xml'));
  flushCallLog(runDir);
  mergeCallLogs(runDir, join(reportDir, 'calls.jsonl'));
}

/** Concatenates the per-process call logs of the run into one file. */
function mergeCallLogs(runDir: string, target: string): void {
  writeFileSync(target, '');
  let files: string[] = [];
  try {
    files = readdirSync(runDir).filter((f) => f.startsWith('calls-') && f.endsWith('.jsonl')).sort();
  } catch {
    return;
  }
  for (const f of files) appendFileSync(target, readFileSync(join(runDir, f)));
}
