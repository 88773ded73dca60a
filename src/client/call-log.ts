// The record of every CRI call a process made: what the coverage report reads.
// Kept in memory and appended to a per-process JSON-lines file after each test.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type CallRole = 'under-test' | 'setup';

export interface CallRecord {
  rpc: string;
  /** `Streaming` records an exec/attach/port-forward session on a URL, not an RPC. */
  service: 'RuntimeService' | 'ImageService' | 'Streaming';
  fields: string[];
  code: number;
  codeName: string;
  /** When the call started, ms since the epoch (for timelines of a run). */
  startedAt: number;
  durationMs: number;
  test: string;
  /** The process that made the call (a parallel worker or the CLI). */
  pid: number;
  role: CallRole;
  stream: boolean;
}

let currentTest = '';
const pending: CallRecord[] = [];
let total = 0;

/** Set by the framework before each test so calls are attributed to it. */
export function setCurrentTest(fullTitle: string): void {
  currentTest = fullTitle;
}

export function currentTestTitle(): string {
  return currentTest;
}

export function recordCall(record: Omit<CallRecord, 'test' | 'pid'>): void {
  pending.push({ ...record, test: currentTest, pid: process.pid });
  total += 1;
}

/**
 * Records a streaming session (exec, attach, port forward on the URL an RPC returned) from when it
 * was opened until it ended, so that the time a test spends inside streams is accounted for.
 */
export function recordSession(kind: string, startedAt: number, durationMs: number, ok: boolean): void {
  recordCall({ rpc: `${kind} session`, service: 'Streaming', fields: [], code: ok ? 0 : 2, codeName: ok ? 'OK' : 'UNKNOWN', startedAt, durationMs, role: 'under-test', stream: true });
}

/** Calls recorded in this process since it started (flushed or not). */
export function recordedCallCount(): number {
  return total;
}

/** Drains what is in memory; used by tests of the harness. */
export function takePendingCalls(): CallRecord[] {
  return pending.splice(0, pending.length);
}

/** Appends the pending records to `<dir>/calls-<pid>.jsonl`. Never throws. */
export function flushCallLog(dir: string | undefined): void {
  if (!dir || pending.length === 0) return;
  const records = takePendingCalls();
  try {
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, `calls-${process.pid}.jsonl`), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  } catch (err) {
    process.stderr.write(`warning: could not write call log to ${dir}: ${(err as Error).message}\n`);
  }
}
