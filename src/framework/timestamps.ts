// CRI timestamps are int64 nanoseconds since the epoch, carried as strings (`longs: String`).

/** Now, in nanoseconds since the epoch. */
export function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** A CRI nanosecond timestamp as a BigInt (0n for an unset field). */
export function nanos(value: string | number | undefined | null): bigint {
  return BigInt(value ?? 0);
}

/** Seconds between a CRI timestamp and now (positive when the timestamp is in the past). */
export function secondsAgo(value: string | number | undefined | null): number {
  return Number(nowNanos() - nanos(value)) / 1e9;
}
