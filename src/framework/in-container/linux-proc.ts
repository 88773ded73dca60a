// Reading Linux process state from inside a container: /proc/<pid>/status fields and the
// capability bit masks they carry, decoded to capability names.
import { shellIn } from './exec.js';

/** Linux capability numbers (include/uapi/linux/capability.h), index = bit. */
export const CAPABILITY_NAMES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
] as const;

export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/** `key:\tvalue` lines of a /proc/<pid>/status text. */
export function parseProcStatus(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** Names of the capabilities set in a hex mask such as `00000000a80425fb`, lowest bit first. */
export function capabilityNames(hexMask: string): string[] {
  const mask = BigInt(`0x${hexMask || '0'}`);
  const names: string[] = [];
  for (let bit = 0; bit < 64; bit += 1) {
    if ((mask >> BigInt(bit)) & 1n) names.push(CAPABILITY_NAMES[bit] ?? `CAP_${bit}`);
  }
  return names;
}

export interface ProcStatus {
  fields: Record<string, string>;
  /** Effective, permitted, bounding, inheritable and ambient sets, as capability names. */
  caps: { eff: string[]; prm: string[]; bnd: string[]; inh: string[]; amb: string[] };
}

export function procStatusFrom(text: string): ProcStatus {
  const fields = parseProcStatus(text);
  return {
    fields,
    caps: {
      eff: capabilityNames(fields.CapEff ?? ''),
      prm: capabilityNames(fields.CapPrm ?? ''),
      bnd: capabilityNames(fields.CapBnd ?? ''),
      inh: capabilityNames(fields.CapInh ?? ''),
      amb: capabilityNames(fields.CapAmb ?? ''),
    },
  };
}

/** A script printing its own /proc/<pid>/status (`procStatusFrom` reads it), for a probe of several parts. */
export const PROC_STATUS = 'cat /proc/self/status';

/**
 * The status of a process the runtime starts in the container with the container's process
 * settings (an ExecSync probe: `cat` reads its own /proc/self/status).
 */
export async function containerProcStatus(containerId: string): Promise<ProcStatus> {
  const res = await shellIn(containerId, PROC_STATUS);
  if (res.exitCode !== 0) throw new Error(`cat /proc/self/status exited ${res.exitCode}: ${res.stderr}`);
  return procStatusFrom(res.stdout);
}

/** Every capability the kernel knows, given /proc/sys/kernel/cap_last_cap. */
export function allCapabilities(lastCap: number): string[] {
  return Array.from({ length: lastCap + 1 }, (_, bit) => CAPABILITY_NAMES[bit] ?? `CAP_${bit}`);
}

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  options: string[];
}

/** Lines of a /proc/mounts text. */
export function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [source, target, fstype, options] = line.split(' ');
      return { source, target, fstype, options: (options ?? '').split(',') };
    });
}

/** A script printing the mounts its process sees (`parseMounts` reads it), for a probe of several parts. */
export const MOUNTS = 'cat /proc/self/mounts';

/** The mounts a process in the container sees (/proc/self/mounts). */
export async function containerMounts(containerId: string): Promise<MountEntry[]> {
  const res = await shellIn(containerId, MOUNTS);
  if (res.exitCode !== 0) throw new Error(`cat /proc/self/mounts exited ${res.exitCode}: ${res.stderr}`);
  return parseMounts(res.stdout);
}

/** The mount in effect at `target` (the last one listed there), or undefined. */
export function mountAt(mounts: readonly MountEntry[], target: string): MountEntry | undefined {
  return mounts.filter((m) => m.target === target).at(-1);
}
