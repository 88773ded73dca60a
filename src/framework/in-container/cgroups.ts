// Reading a container's CPU and memory limits from inside it, from the cgroup v1 or v2 files the
// runtime mounts at /sys/fs/cgroup.
import { shellIn } from './exec.js';
import { SetupError } from '../../client/errors.js';

export interface CgroupLimits {
  version: 'v1' | 'v2';
  /** CFS quota in µs; -1 when unlimited. */
  cpuQuota: number;
  cpuPeriod: number;
  /** v1 cpu.shares, or v2 cpu.weight. */
  cpuShares?: number;
  cpuWeight?: number;
  /** Bytes; -1 when unlimited. */
  memoryLimit: number;
}

const SCRIPT = [
  'if [ -f /sys/fs/cgroup/cgroup.controllers ]; then',
  '  echo v2; cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/memory.max;',
  'else',
  '  echo v1; cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/memory/memory.limit_in_bytes;',
  'fi',
].join(' ');

const num = (s: string | undefined): number => (s === undefined || s === 'max' ? -1 : Number(s));

export async function readCgroupLimits(containerId: string): Promise<CgroupLimits> {
  const r = await shellIn(containerId, SCRIPT);
  const words = r.stdout.split(/\s+/).filter(Boolean);
  if (r.exitCode !== 0 || words.length < 5) {
    throw new SetupError(
      'reading cgroup limits in the container',
      new Error(`exit ${r.exitCode}: ${r.stdout} ${r.stderr}`),
    );
  }
  if (words[0] === 'v2') {
    const [, quota, period, weight, memory] = words;
    return {
      version: 'v2',
      cpuQuota: num(quota),
      cpuPeriod: num(period),
      cpuWeight: num(weight),
      memoryLimit: num(memory),
    };
  }
  const [, quota, period, shares, memory] = words;
  return {
    version: 'v1',
    cpuQuota: num(quota),
    cpuPeriod: num(period),
    cpuShares: num(shares),
    memoryLimit: num(memory),
  };
}

/**
 * The cgroup v2 cpu.weight values a runtime may derive from CRI cpu_shares: the classic linear
 * mapping (runc < 1.3, crun < 1.23) and the newer one that maps 1024 shares to weight 100.
 */
export function weightsForShares(shares: number): number[] {
  const linear = 1 + Math.floor(((shares - 2) * 9999) / 262142);
  const l = Math.log2(shares);
  const curved = Math.ceil(10 ** ((l * l + 125 * l) / 612 - 7 / 34));
  return [...new Set([linear, curved])];
}
