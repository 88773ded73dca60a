// Mounts on this host for mount-propagation tests (`mount` from util-linux; needs root). Each
// mount point is lazily unmounted, with everything below it, after the test.
import { execFileSync } from 'node:child_process';
import type { Scope } from '../fixtures/scope.js';

export class HostMountError extends Error {
  override name = 'HostMountError';
}

function run(args: string[]): void {
  try {
    execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new HostMountError(`mount ${args.join(' ')} failed: ${e.stderr?.toString().trim() || e.message}`);
  }
}

/**
 * Binds `source` onto `target` (recursively) and sets its propagation, in one `mount` (util-linux
 * 2.23+ applies --make-* after the bind succeeded); unmounted after the test.
 */
export function hostBindMount(
  scope: Scope,
  source: string,
  target: string,
  propagation?: 'rprivate' | 'rshared' | 'rslave',
): void {
  run(['--rbind', ...(propagation ? [`--make-${propagation}`] : []), source, target]);
  scope.defer(`host mount ${target}`, async () => {
    execFileSync('umount', ['-R', '-l', target], { stdio: 'ignore' });
  });
}

/** Mounts a fresh tmpfs on `target`; unmounted after the test. */
export function hostTmpfsMount(scope: Scope, target: string): void {
  run(['-t', 'tmpfs', '-o', 'size=1m', 'crit-tmpfs', target]);
  scope.defer(`host tmpfs ${target}`, async () => {
    execFileSync('umount', ['-l', target], { stdio: 'ignore' });
  });
}

let unavailable: { reason: string | undefined } | undefined;

/** Why this host cannot make mounts for a test, or undefined when it can (found out once per process). */
export function hostMountUnavailable(): string | undefined {
  unavailable ??= { reason: findWhyUnavailable() };
  return unavailable.reason;
}

function findWhyUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'host lacks root privileges to create bind mounts for mount-propagation tests';
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'host lacks the mount command (util-linux) needed for mount-propagation tests';
  }
  return undefined;
}
