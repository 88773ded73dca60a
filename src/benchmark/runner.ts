// Runs timed samples with a concurrency limit and a deadline per sample, and records them per
// operation. A sample that fails (an RPC error, its deadline) is counted with its message; the
// run goes on. After an interrupt no new sample starts; the ones in flight finish or time out.
import { performance } from 'node:perf_hooks';
import type { OperationGroup, OperationName } from './params.js';

export interface OperationRecord {
  name: OperationName;
  group: OperationGroup;
  /** Latency of each successful sample, ms, in the order they finished. */
  samplesMs: number[];
  failures: number;
  /** The first few failure messages, each once. */
  failureMessages: string[];
  /** Wall time of the slices in which this operation ran, ms (the denominator of ops/s). */
  phaseMs: number;
  /** Samples in flight at once. */
  concurrency: number;
}

/** The deadline of one sample: what is left of it, for each call it makes. */
export interface SampleClock {
  /** ms until the sample's deadline (at least 1). */
  left(): number;
}

export const MAX_FAILURE_MESSAGES = 5;

export class Recorder {
  readonly operations = new Map<OperationName, OperationRecord>();
  constructor(
    readonly selected: ReadonlySet<OperationName>,
    readonly opTimeoutMs: number,
    readonly signal: AbortSignal,
  ) {}

  /** The record of `name`, or undefined when the operation is not selected (it still runs as a step). */
  record(name: OperationName, group: OperationGroup, concurrency: number): OperationRecord | undefined {
    if (!this.selected.has(name)) return undefined;
    let r = this.operations.get(name);
    if (!r) {
      r = newRecord(name, group, concurrency);
      this.operations.set(name, r);
    }
    return r;
  }

  /** Counts a failure of every selected operation of `group` that could not be measured at all. */
  failGroup(group: OperationGroup, names: readonly OperationName[], concurrency: number, message: string): void {
    for (const name of names) {
      const r = this.record(name, group, concurrency);
      if (r) addFailure(r, message);
    }
  }
}

export function newRecord(name: OperationName, group: OperationGroup, concurrency: number): OperationRecord {
  return { name, group, samplesMs: [], failures: 0, failureMessages: [], phaseMs: 0, concurrency };
}

export function addFailure(record: OperationRecord, message: string): void {
  record.failures += 1;
  if (record.failureMessages.length < MAX_FAILURE_MESSAGES && !record.failureMessages.includes(message))
    record.failureMessages.push(message);
}

export type SampleResult<R> = { ok: true; value: R } | { ok: false; error: string } | { ok: false; skipped: true };

/**
 * Runs `fn` once per item, at most `concurrency` at a time, each with its own deadline, and adds
 * the samples and the slice's wall time to `record` (when given). Items not started because of
 * an interrupt come back as skipped.
 */
export async function timedSlice<T, R>(
  recorder: Recorder,
  record: OperationRecord | undefined,
  items: readonly T[],
  concurrency: number,
  fn: (item: T, clock: SampleClock) => Promise<R>,
): Promise<SampleResult<R>[]> {
  const results: SampleResult<R>[] = items.map(() => ({ ok: false, skipped: true }));
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < items.length && !recorder.signal.aborted) {
      const i = next++;
      const t0 = performance.now();
      const deadline = t0 + recorder.opTimeoutMs;
      const clock: SampleClock = { left: () => Math.max(1, Math.round(deadline - performance.now())) };
      try {
        const value = await withDeadline(fn(items[i], clock), recorder.opTimeoutMs);
        record?.samplesMs.push(performance.now() - t0);
        results[i] = { ok: true, value };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        results[i] = { ok: false, error };
        if (record) addFailure(record, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (record) record.phaseMs += performance.now() - started;
  return results;
}

export class SampleTimeoutError extends Error {
  override name = 'SampleTimeoutError';
}

/**
 * Every RPC of a sample carries the sample's deadline; this guards the sample as a whole (a step
 * that is not an RPC, or a deadline the transport missed) with a small grace.
 */
function withDeadline<R>(p: Promise<R>, timeoutMs: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SampleTimeoutError(`sample exceeded its deadline of ${timeoutMs} ms`)),
      timeoutMs + 1_000,
    );
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}

/** The values of the successful samples. */
export function succeeded<R>(results: readonly SampleResult<R>[]): R[] {
  return results.flatMap((r) => (r.ok ? [r.value] : []));
}

/** Runs `fn` for each item with a concurrency limit, untimed (setup and teardown); errors are collected. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<unknown>,
): Promise<string[]> {
  const errors: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return errors;
}
