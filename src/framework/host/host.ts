// host/: what the suite sees from its own machine, outside any container: the host's namespaces,
// capabilities, devices and kernel security modules, host directories and mounts shared with the
// runtime (only when the endpoint is a local unix socket), network probes of pods and ports, and
// the registry an image was pushed to.
//
// Facts about the runtime's host, for checks that compare a container with the node itself.
// They only hold when the suite runs on that host: the runtime endpoint is a local unix socket.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scope } from '../fixtures/scope.js';
import { skipWithReason } from '../verdicts/optional.js';
import { allCapabilities, procStatusFrom, PROC_STATUS, type ProcStatus } from '../in-container/linux-proc.js';
import { shellIn, shellParts } from '../in-container/exec.js';
import { endpointIsLocal, hostTempDir, requireLocalRuntime } from './host-paths.js';
import { eventually } from '../verdicts/wait.js';

/** Skips the test when this host lacks a kernel security module. */
export function requireHostLsm(test: Mocha.Context, lsm: 'apparmor' | 'selinux'): void {
  requireLocalRuntime(test, `to see whether the host enables ${lsm}`);
  if (lsm === 'apparmor') {
    const flag = '/sys/module/apparmor/parameters/enabled';
    const on = existsSync(flag) && readFileSync(flag, 'utf8').trim() === 'Y';
    if (!on)
      skipWithReason(test, `host lacks AppArmor: ${flag} is ${existsSync(flag) ? 'not Y' : 'absent'} on this kernel`);
  } else if (!existsSync('/sys/fs/selinux/enforce')) {
    skipWithReason(test, 'host lacks SELinux: /sys/fs/selinux is not mounted on this kernel');
  }
}

/** The namespace identity (`net:[4026531840]`) of this process, i.e. of the host. */
export function hostNamespace(kind: 'net' | 'pid' | 'ipc' | 'uts' | 'user'): string {
  return readlinkSync(`/proc/self/ns/${kind}`);
}

/** Capability names in this (host) process's bounding set: more than that no container gets. */
function hostBoundingCapabilities(): string[] {
  return procStatusFrom(readFileSync('/proc/self/status', 'utf8')).caps.bnd;
}

/** The script whose output `grantableGiven` reads, for a probe that reads more in the same exec. */
export const CAP_LAST_CAP = 'cat /proc/sys/kernel/cap_last_cap';

/**
 * The capabilities a privileged container can hold: every capability the container's kernel knows
 * (/proc/sys/kernel/cap_last_cap) that the host's own bounding set has, when the suite is on the
 * runtime's host; every capability the kernel knows otherwise.
 */
export async function grantableCapabilities(containerId: string): Promise<string[]> {
  const res = await shellIn(containerId, CAP_LAST_CAP);
  if (res.exitCode !== 0) throw new Error(`cannot read cap_last_cap in the container: ${res.stdout}${res.stderr}`);
  return grantableGiven(res.stdout);
}

/** `grantableCapabilities` from the output of `CAP_LAST_CAP` in the container. */
export function grantableGiven(capLastCap: string): string[] {
  const lastCap = Number.parseInt(capLastCap.trim(), 10);
  if (Number.isNaN(lastCap)) throw new Error(`cannot read cap_last_cap in the container: ${capLastCap}`);
  const all = allCapabilities(lastCap);
  if (!endpointIsLocal()) return all;
  const host = new Set(hostBoundingCapabilities());
  return all.filter((c) => host.has(c));
}

/** `grantableCapabilities` and `containerProcStatus` of one container, read with one ExecSync. */
export async function grantableAndProcStatus(
  containerId: string,
): Promise<{ grantable: string[]; status: ProcStatus }> {
  const { parts, stderr } = await shellParts(containerId, { lastCap: CAP_LAST_CAP, status: PROC_STATUS });
  if (parts.lastCap.exitCode !== 0)
    throw new Error(`cannot read cap_last_cap in the container: ${parts.lastCap.stdout}${stderr}`);
  if (parts.status.exitCode !== 0) throw new Error(`${PROC_STATUS} exited ${parts.status.exitCode}: ${stderr}`);
  return { grantable: grantableGiven(parts.lastCap.stdout), status: procStatusFrom(parts.status.stdout) };
}

/** Names of the character and block devices directly under the host's /dev. */
export function hostDevices(): string[] {
  return readdirSync('/dev', { withFileTypes: true })
    .filter((e) => e.isCharacterDevice() || e.isBlockDevice())
    .map((e) => e.name);
}

/**
 * `major:minor` of the character device at `path` on the host, in hex as `stat -c %t:%T` prints it
 * in a container; undefined when there is no character device there.
 */
export function hostCharDevice(path: string): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isCharacterDevice()) return undefined;
  // Linux dev_t: major in bits 8-19 (and 32-43), minor in bits 0-7 and 20-31 (glibc's gnu_dev_major/minor).
  const major = (st.rdev >> 8) & 0xfff;
  const minor = (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00);
  return `${major.toString(16)}:${minor.toString(16)}`;
}

/**
 * The pid of the host process whose command line contains `marker`, polled for up to `timeout` ms;
 * undefined when none appears (a runtime that runs containers in a VM). Right after StartContainer
 * a container's first process may still be the OCI runtime's init, before it execs the command.
 */
export async function hostPidOfMarked(marker: string, timeout = 10_000): Promise<string | undefined> {
  const find = async (): Promise<string | undefined> =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .find((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false; // the process ended while the list was read
        }
      });
  return eventually(`a host process with "${marker}" in its command line`, find, (pid) => pid !== undefined, {
    timeout,
  }).catch(() => undefined);
}

/**
 * The real uid and gid (first field of the `Uid:` and `Gid:` lines of /proc/<pid>/status) of the host
 * process whose command line contains `marker` (`hostPidOfMarked`); undefined when the host sees none.
 */
export async function hostIdsOfMarked(marker: string): Promise<{ uid: string; gid: string } | undefined> {
  const pid = await hostPidOfMarked(marker);
  if (pid === undefined) return undefined;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const first = (key: string) => status.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? '';
  return { uid: first('Uid'), gid: first('Gid') };
}

/** Skips when the suite's own host process is already under a seccomp filter (inherited by all). */
export function requireUnfilteredHost(test: Mocha.Context): void {
  if (!endpointIsLocal()) return;
  const seccomp = /^Seccomp:\s*(\d)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (seccomp !== undefined && seccomp !== '0') {
    skipWithReason(
      test,
      `host lacks an unfiltered context: this host's processes already run under seccomp mode ${seccomp}`,
    );
  }
}

/** A seccomp profile that allows everything except mkdir/mkdirat, which fail with EPERM. */
export const NO_MKDIR_PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }],
};

/** Writes NO_MKDIR_PROFILE into a host directory that `scope` removes; returns the profile's path. */
export function writeNoMkdirProfile(scope: Scope, slug: string): string {
  const profile = join(hostTempDir(scope, slug), 'no-mkdir.json');
  writeFileSync(profile, JSON.stringify(NO_MKDIR_PROFILE));
  return profile;
}

/** What a container's seccomp decides: its mode (/proc/self/status Seccomp: 0 none, 2 filter) and the exit codes of touch and mkdir. */
export interface SeccompProbe {
  seccomp: string | undefined;
  touch: number;
  mkdir: number;
  /** The stderr of the probe's commands, for messages. */
  stderr: string;
}

/** Reads the container's Seccomp mode and runs touch (NO_MKDIR_PROFILE allows it) and mkdir (it denies it), in one ExecSync. */
export async function probeSeccomp(containerId: string): Promise<SeccompProbe> {
  const { parts, stderr } = await shellParts(containerId, {
    status: PROC_STATUS,
    touch: 'touch /tmp/crit-file',
    mkdir: 'mkdir /tmp/crit-dir',
  });
  if (parts.status.exitCode !== 0) throw new Error(`${PROC_STATUS} exited ${parts.status.exitCode}: ${stderr}`);
  const { fields } = procStatusFrom(parts.status.stdout);
  return { seccomp: fields.Seccomp, touch: parts.touch.exitCode, mkdir: parts.mkdir.exitCode, stderr };
}
