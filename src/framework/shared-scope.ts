// A scope for fixtures that several tests of one describe share (made in a `before` hook):
// everything it tracks is removed once, after the last test of the describe. Like useScope(),
// cleanup never throws and a failure is recorded as a `[cleanup]` case.
import { ctx } from './context.js';
import { appendRunEvent, flushRunFiles } from './run-events.js';
import { Scope } from './scope.js';

export function useSharedScope(): Scope {
  const scope = new Scope();
  after(async function () {
    this.timeout(Math.max(ctx().timeouts.defaultMs * 4, 240_000));
    const title = `${this.test?.parent?.fullTitle() ?? ''} (shared fixtures)`;
    for (const message of await scope.cleanup()) appendRunEvent(ctx().runDir, { kind: 'cleanup-failure', test: title, message });
    flushRunFiles(ctx().runDir);
  });
  return scope;
}
