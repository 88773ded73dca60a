// Host paths shared with the runtime (bind-mount sources, log directories). They only make sense
// when the runtime runs on this host, i.e. its endpoint is a local unix socket; tests that need
// them skip with that reason otherwise. Every directory is removed after the test by its scope.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEndpoint } from '../../client/endpoint.js';
import { ctx } from '../run/context.js';
import { hostDirPrefix } from '../run/host-dirs.js';
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
