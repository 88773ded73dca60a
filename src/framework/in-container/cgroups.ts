// Reading a container's CPU and memory limits from inside it, from the cgroup v1 or v2 files the
// runtime mounts at /sys/fs/cgroup.
import { shellIn, shellParts } from './exec.js';
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

/** One cgroup file of a container, by its path under /sys/fs/cgroup on cgroup v1 and on v2; absent when that version has none. */
export interface CgroupFile {
  v1?: string;
  v2?: string;
}

export interface CgroupFilesRead<K extends string> {
  version: 'v1' | 'v2';
  /** Each file's trimmed content; undefined when the container has no such file (its controller is not mounted, or this cgroup version has none). */
  values: Record<K, string | undefined>;
}

const IS_V2 = '[ -f /sys/fs/cgroup/cgroup.controllers ]';

/** A script that prints the file of `f` for the container's cgroup version, and fails when there is none. */
export function cgroupFileScript(f: CgroupFile): string {
  const cat = (path: string | undefined): string => (path === undefined ? 'exit 2' : `cat /sys/fs/cgroup/${path}`);
  return `if ${IS_V2}; then ${cat(f.v2)}; else ${cat(f.v1)}; fi`;
}

/**
 * Reads several cgroup files of a container from inside it, in one ExecSync: the runtime mounts
 * the container's own cgroup at /sys/fs/cgroup (cgroup v1: one directory per controller).
 * File names are plain words.
 */
export async function readCgroupFiles<K extends string>(
  containerId: string,
  files: Record<K, CgroupFile>,
): Promise<CgroupFilesRead<K>> {
  const names = Object.keys(files) as K[];
  const scripts: Record<string, string> = { version: `if ${IS_V2}; then echo v2; else echo v1; fi` };
  for (const name of names) scripts[`file_${name}`] = cgroupFileScript(files[name]);
  const { parts } = await shellParts(containerId, scripts);
  const values = {} as Record<K, string | undefined>;
  for (const name of names) {
    const part = parts[`file_${name}`];
    values[name] = part.exitCode === 0 ? part.stdout.trim() : undefined;
  }
  return { version: parts.version.stdout.trim() === 'v2' ? 'v2' : 'v1', values };
}

/**
 * The CRI HugepageLimit.page_size name (`2MB`, `1GB`: "<size><unit-prefix>B", base 1024) of a
 * /sys/kernel/mm/hugepages entry (`hugepages-2048kB`), or undefined for another name.
 */
export function hugepageSizeName(entry: string): string | undefined {
  const m = /^hugepages-(\d+)kB$/.exec(entry);
  if (!m) return undefined;
  let size = Number(m[1]);
  for (const unit of ['KB', 'MB', 'GB', 'TB']) {
    if (size < 1024 || size % 1024 !== 0) return `${size}${unit}`;
    size /= 1024;
  }
  return `${size}PB`;
}

/** The huge page sizes the container's kernel offers (/sys/kernel/mm/hugepages), as CRI page_size names. */
export async function hugepageSizesIn(containerId: string): Promise<string[]> {
  const { parts } = await shellParts(containerId, { sizes: 'ls /sys/kernel/mm/hugepages' });
  if (parts.sizes.exitCode !== 0) return [];
  return parts.sizes.stdout
    .split(/\s+/)
    .map(hugepageSizeName)
    .filter((s): s is string => s !== undefined);
}
