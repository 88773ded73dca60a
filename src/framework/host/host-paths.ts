// Host paths shared with the runtime (bind-mount sources, log directories). They only make sense
// when the runtime runs on this host, i.e. its endpoint is a local unix socket; tests that need
// them skip with that reason otherwise. Every directory is removed after the test by its scope.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEndpoint } from '../../client/endpoint.js';
import { ctx } from '../run/context.js';
import { skipWithReason } from '../verdicts/optional.js';
import type { Scope } from '../fixtures/scope.js';

/** True when the runtime endpoint is a unix socket (`unix:///p` or `/p`), that is, on this host. */
export function endpointIsLocal(endpoint = ctx().runtimeEndpoint): boolean {
  return parseEndpoint(endpoint).kind === 'unix';
}

/** Skips the running test unless the runtime shares this host; `need` says what needs the host. */
export function requireLocalRuntime(test: Mocha.Context, need: string): void {
  const endpoint = ctx().runtimeEndpoint;
  if (!endpointIsLocal(endpoint)) {
    skipWithReason(
      test,
      `needs ${need} on the runtime's host; runtime endpoint ${endpoint} is not a local unix socket`,
    );
  }
}

/** A fresh directory on this host, removed (with its contents) after the test. */
export function hostTempDir(scope: Scope, slug: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${hostDirPrefix(ctx().runId)}${slug}-`));
  scope.defer(`host directory ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const hostDirPrefix = (runId: string): string => `crit-${runId}-`;

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
