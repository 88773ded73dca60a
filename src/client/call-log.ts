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
  /**
   * The RPC the test is under (its `rpc('X')` describe), when the call is made in the test's body or
   * by a fixture the body started: a call of that RPC there is always the call under test.
   */
  rpcUnderTest?: string;
}

/**
 * What the client is given to learn where a call that starts now belongs (the framework reads it
 * from the test's AsyncLocalStorage context); the client itself keeps no test state.
 */
export type CallObserver = () => CallOrigin;

export const OUTSIDE_TESTS: CallObserver = () => ({ test: '', hook: false });

export function recordCall(record: Omit<CallRecord, 'test' | 'pid' | 'hook'>, origin: CallOrigin): void {
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
  origin: CallOrigin,
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
