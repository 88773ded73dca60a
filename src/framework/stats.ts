// Reading resource-usage stats: 64-bit counters arrive as decimal strings (`longs: String`) and
// wrapped in UInt64Value, absent when the runtime did not report them.
import type { PodSandboxStats__Output } from '../generated/runtime/v1/PodSandboxStats.js';
import { cri } from './cri.js';

export { isRuntimeAnswer } from '../client/errors.js';

/** A UInt64Value as a bigint, or undefined when the field is absent. */
export function uint64(field: { value: string } | null | undefined): bigint | undefined {
  return field ? BigInt(field.value) : undefined;
}

/** A nanosecond timestamp (int64 as string) as a bigint. */
export function nanos(timestamp: string | undefined): bigint {
  return BigInt(timestamp ?? '0');
}

/** PodSandboxStats of `id` as a setup call, for polling until a counter is reported. */
export async function podStatsOf(id: string): Promise<PodSandboxStats__Output> {
  const { stats } = await cri().runtime.PodSandboxStats({ pod_sandbox_id: id }, { role: 'setup' });
  if (!stats) throw new Error(`PodSandboxStats of ${id} returned no stats`);
  return stats;
}

/** Sorted ids, for comparing which objects a list or stream returned. */
export function sortedIds(items: readonly { attributes?: { id: string } | null; id?: string }[]): string[] {
  return items.map((i) => i.attributes?.id ?? i.id ?? '').sort();
}
