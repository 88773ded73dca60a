// Reading the values CRI answers carry: int64 nanosecond timestamps and 64-bit counters arrive as
// decimal strings (`longs: String`), counters wrapped in UInt64Value and absent when the runtime
// did not report them. Compare them as bigints, never as JavaScript numbers.

/** A UInt64Value as a bigint, or undefined when the field is absent. */
export function uint64(field: { value: string } | null | undefined): bigint | undefined {
  return field ? BigInt(field.value) : undefined;
}

/** A CRI nanosecond timestamp as a BigInt (0n for an unset field). */
export function nanos(value: string | number | undefined | null): bigint {
  return BigInt(value ?? 0);
}

/** Now, in nanoseconds since the epoch. */
function nowNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Seconds between a CRI timestamp and now (positive when the timestamp is in the past). */
export function secondsAgo(value: string | number | undefined | null): number {
  return Number(nowNanos() - nanos(value)) / 1e9;
}

/** Sorted ids, for comparing which objects a list or stream returned. */
export function sortedIds(items: readonly { attributes?: { id: string } | null; id?: string }[]): string[] {
  return items.map((i) => i.attributes?.id ?? i.id ?? '').sort();
}
