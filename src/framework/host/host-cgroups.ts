// The cgroups of a container's process as the host sees them (/proc/<pid>/cgroup), for checks of
// where the runtime put the container (under the pod's cgroup_parent). Inside the container a
// private cgroup namespace (the cgroup v2 default) shows only `/`, so this is read on the host;
// it needs the runtime on this host and a container process the host can see (no VM runtime).
import { readFileSync } from 'node:fs';
import { hostPidOfMarked } from './host.js';

/** One line of /proc/<pid>/cgroup: `hierarchy-id:controllers:path`. */
export interface CgroupMembership {
  hierarchy: string;
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string): CgroupMembership[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [hierarchy, controllers, ...path] = line.split(':');
      return { hierarchy, controllers: controllers ? controllers.split(',') : [], path: path.join(':') };
    });
}

/**
 * The cgroup a process belongs to for resource control: its memory hierarchy on cgroup v1 (or a
 * hybrid host), its unified `0::` line on cgroup v2.
 */
export function resourceCgroupPath(memberships: readonly CgroupMembership[]): string | undefined {
  return (
    memberships.find((m) => m.controllers.includes('memory'))?.path ??
    memberships.find((m) => m.hierarchy === '0')?.path
  );
}

/**
 * The cgroups of the host process whose command line contains `marker` (`hostPidOfMarked`), or
 * undefined when the host sees none.
 */
export async function hostCgroupsOfMarked(marker: string): Promise<CgroupMembership[] | undefined> {
  const pid = await hostPidOfMarked(marker);
  return pid === undefined ? undefined : parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
}
