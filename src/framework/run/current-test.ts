// Which test a call belongs to. The test's body runs inside an AsyncLocalStorage context that
// carries its identity (runAsTest), so everything the body starts, a shared fixture included,
// keeps that identity even while another test runs: a shared fixture's calls are credited to the
// test that first asked for it. Outside any body (beforeEach/afterEach hooks) a call belongs to
// the test whose hooks run (setCurrentTest) and is marked as a hook call. The client reads this
// through the observer it is given (callObserver); it keeps no test state of its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallObserver, CallOrigin } from '../../client/call-log.js';

/** A running test's identity: its full title and the RPC of its `rpc('X')` describe, if any. */
export interface TestIdentity {
  test: string;
  rpcUnderTest?: string;
}

const bodies = new AsyncLocalStorage<TestIdentity>();

/** The test whose hooks run now ('' between tests), for calls made outside any test body. */
let hooksOf = '';
/** When the current test's body began, ms since the epoch. */
let bodyStartedAt: number | undefined;

/** Where a call that starts now belongs: the body's context when there is one, else the hooks'. */
export const callObserver: CallObserver = (): CallOrigin => {
  const body = bodies.getStore();
  if (body) return { test: body.test, hook: false, ...(body.rpcUnderTest ? { rpcUnderTest: body.rpcUnderTest } : {}) };
  return { test: hooksOf, hook: hooksOf !== '' };
};

/** Set before each test's hooks so their calls are attributed to it ('' after it). */
export function setCurrentTest(fullTitle: string): void {
  hooksOf = fullTitle;
  bodyStartedAt = undefined;
}

/** Runs a test's body in its identity's context; what the body starts keeps the identity. */
export function runAsTest<T>(identity: TestIdentity, body: () => T): T {
  bodyStartedAt = Date.now();
  return bodies.run(identity, body);
}

/**
 * Runs `work` as the process's own, not any test's: what a worker shares across spec files (its
 * worker pods) is made once in whichever test asks first, and crediting it to that test would make
 * the test's calls depend on the order of the run.
 */
export function outsideTests<T>(work: () => T): T {
  return bodies.run({ test: '' }, work);
}

/** The identity of the test whose body (or a fixture it started) runs now, if any. */
export function currentTest(): TestIdentity | undefined {
  return bodies.getStore();
}

/** When the current test's body began (ms since the epoch), if it has. */
export function testBodyStartedAt(): number | undefined {
  return bodyStartedAt;
}
