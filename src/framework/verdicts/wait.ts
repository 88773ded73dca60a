// Polling with a deadline, instead of fixed sleeps. Fast at first, then backing off.

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/** The runtime answered with a state from which the awaited one can never follow. */
export class StateNeverReachedError extends WaitTimeoutError {
  override name = 'StateNeverReachedError';
}

export interface WaitOptions<T = unknown> {
  /** Give up after this many ms (default 60 s). */
  timeout?: number;
  /**
   * Interval between polls for the first second, ms (default 25): most awaited states arrive
   * within it, and a poll is cheap. After that it grows by half each poll up to `maxInterval`.
   */
  interval?: number;
  /** Longest interval between polls, ms (default 1000). */
  maxInterval?: number;
  /** Errors of `probe` that end the wait at once instead of being polled again (default: none). */
  stopOn?: (err: unknown) => boolean;
  /**
   * Why a polled value shows the awaited condition can never hold (an exited container awaited
   * to run), or undefined: the wait ends at once with that reason instead of at its deadline.
   */
  hopeless?: (value: T) => string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Calls `probe` until `accept(value)` holds and returns that value. `what` names the awaited
 * condition; on timeout the error names it, the deadline, the last value (or error) and the poll count.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  opts: WaitOptions<T> = {},
): Promise<T> {
  const timeout = opts.timeout ?? 60_000;
  const maxInterval = opts.maxInterval ?? 1_000;
  let interval = opts.interval ?? 10;
  const started = Date.now();
  const until = started + timeout;
  let last: unknown = '(no poll finished)';
  let polls = 0;
  let hopeless: string | undefined;
  for (;;) {
    try {
      const value = await probe();
      polls += 1;
      if (accept(value)) return value;
      last = value;
      hopeless = opts.hopeless?.(value);
    } catch (err) {
      polls += 1;
      if (opts.stopOn?.(err)) throw err;
      last = err;
    }
    if (hopeless !== undefined) {
      throw new StateNeverReachedError(
        `gave up after ${seconds(Date.now() - started)} waiting for ${what}: ${hopeless}; last: ${describeValue(last)} (${polls} polls)`,
      );
    }
    const left = until - Date.now();
    if (left <= 0) {
      throw new WaitTimeoutError(
        `timed out after ${seconds(timeout)} waiting for ${what}; last: ${describeValue(last)} (${polls} polls)`,
      );
    }
    await sleep(Math.min(interval, left));
    if (Date.now() - started >= FAST_POLLING_MS) interval = Math.min(interval * 1.5, maxInterval);
  }
}

/** How long `eventually` polls at its first interval before it backs off. */
const FAST_POLLING_MS = 1_000;

/**
 * Checks for `window` ms that `hold(value)` stays true, polling every `interval` ms; throws on the
 * first value that breaks it. For proving that something does NOT happen.
 */
export async function consistently<T>(
  what: string,
  probe: () => Promise<T>,
  hold: (value: T) => boolean,
  window: number,
  interval = 200,
): Promise<void> {
  const until = Date.now() + window;
  let polls = 0;
  for (;;) {
    const value = await probe();
    polls += 1;
    if (!hold(value)) {
      throw new WaitTimeoutError(
        `expected ${what} to hold for ${seconds(window)}, but after ${polls} polls saw: ${describeValue(value)}`,
      );
    }
    const left = until - Date.now();
    if (left <= 0) return;
    await sleep(Math.min(interval, left));
  }
}
