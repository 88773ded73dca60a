// The host directories runs of the suite make (bind-mount sources, under the temp dir, named by
// run id), and their removal when a run was killed before it could remove them itself.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The name every host directory of run `runId` starts with (under the temp dir). */
export const hostDirPrefix = (runId: string): string => `crit-${runId}-`;

/** The host directories that `hostTempDir` made for runs of the suite and nobody removed, by run id. */
export function leftHostDirs(): { dir: string; run: string }[] {
  return readdirSync(tmpdir())
    .map((name) => ({ name, run: /^crit-([0-9a-f]{8})-/.exec(name)?.[1] }))
    .filter((e): e is { name: string; run: string } => e.run !== undefined)
    .map((e) => ({ dir: join(tmpdir(), e.name), run: e.run }));
}

/**
 * Removes a directory `hostTempDir` made for a run that could not remove it (killed mid-test):
 * first every mount below it (a mount-propagation test's), deepest first, then the directory.
 */
export function removeLeftHostDir(dir: string): void {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((m): m is string => m !== undefined && m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) execFileSync('umount', ['-l', m], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(dir, { recursive: true, force: true });
}
