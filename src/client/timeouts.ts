// Per-RPC deadlines. Every CRI call has one, so a runtime that hangs fails a test instead of the run.

export interface Timeouts {
  /** Default deadline of ordinary RPCs, ms (`--timeout`). */
  defaultMs: number;
  /** Deadline of PullImage, ms. */
  pullMs: number;
  /** Added to the runtime-side timeout of StopContainer and ExecSync, ms. */
  graceMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { defaultMs: 60_000, pullMs: 300_000, graceMs: 30_000 };

function seconds(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : 0;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** The deadline, in ms from now, for one call of `rpc` with `request`. */
export function deadlineFor(rpc: string, request: object, t: Timeouts): number {
  const req = request as Record<string, unknown>;
  switch (rpc) {
    case 'PullImage':
      return Math.max(t.pullMs, t.defaultMs);
    case 'StopContainer':
    case 'ExecSync': {
      const s = seconds(req.timeout);
      return s > 0 ? s * 1000 + t.graceMs : t.defaultMs;
    }
    default:
      return t.defaultMs;
  }
}
