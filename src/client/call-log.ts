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
  /**
   * Set on a call attributed to `test` that was made in its beforeEach/afterEach hooks (setup and
   * cleanup around the test), not in the test's own body.
   */
  hook?: true;
}

const pending: CallRecord[] = [];

/** Where a call that starts now belongs: a test, and whether it is made outside that test's body. */
export interface CallOrigin {
  test: string;
  hook: boolean;
}

let originNow = (): CallOrigin => ({ test: '', hook: false });

/**
 * The harness that runs tests (framework/run/current-test.ts) tells the call log, through
 * `source`, which test a call that starts now belongs to; the client itself knows no tests.
 */
export function attributeCallsWith(source: () => CallOrigin): void {
  originNow = source;
}

/**
 * Taken when a call starts, so that a call still running when its test ends (a fixture that the
 * next test awaits) is attributed to the test that made it.
 */
export function callOrigin(): CallOrigin {
  return originNow();
}

export function recordCall(record: Omit<CallRecord, 'test' | 'pid' | 'hook'>, origin: CallOrigin = callOrigin()): void {
  pending.push({ ...record, test: origin.test, pid: process.pid, ...(origin.hook ? { hook: true as const } : {}) });
}

/**
 * Records a streaming session (exec, attach, port forward on the URL an RPC returned) from when it
 * was opened until it ended, so that the time a test spends inside streams is accounted for.
 */
export function recordSession(
  kind: string,
  startedAt: number,
  durationMs: number,
  ok: boolean,
  origin?: CallOrigin,
): void {
  recordCall(
    {
      rpc: `${kind} session`,
      service: 'Streaming',
      fields: [],
      code: ok ? 0 : 2,
      codeName: ok ? 'OK' : 'UNKNOWN',
      startedAt,
      durationMs,
      role: 'under-test',
      stream: true,
    },
    origin,
  );
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
