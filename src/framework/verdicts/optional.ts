// Optional CRI features: probe once per process; UNIMPLEMENTED makes the test skipped with the
// reason recorded for the reports. Never passed, never failed.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { AssertionError } from 'chai';
import { CriCallError } from '../../client/errors.js';
import type { RuntimeHandlerFeatures__Output } from '../../generated/runtime/v1/RuntimeHandlerFeatures.js';
import { ctx } from '../run/context.js';
import { cri } from '../run/cri.js';
import { appendRunEvent } from '../run/run-events.js';
import { requiredBecause } from './features.js';

const probed = new Map<string, Promise<string | undefined>>();

/** Why `feature` is unsupported, or undefined when the probe shows it is implemented. */
async function unsupportedReason(feature: string, probe: () => Promise<unknown>): Promise<string | undefined> {
  let result = probed.get(feature);
  if (!result) {
    result = probe().then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof CriCallError && err.code === GrpcStatus.UNIMPLEMENTED)
          return `unsupported: ${err.rpc} returned UNIMPLEMENTED`;
        return undefined; // any other answer means the RPC exists; the test itself judges it
      },
    );
    probed.set(feature, result);
  }
  return result;
}

/**
 * Skips the running test (recording why) when the runtime does not implement `feature`; fails it
 * instead when the feature is required (a required RPC, or named by `--require`).
 */
export async function requireFeature(
  test: Mocha.Context,
  feature: string,
  probe: () => Promise<unknown>,
): Promise<void> {
  const reason = await unsupportedReason(feature, probe);
  if (!reason) return;
  const because = requiredBecause(feature, ctx().requiredFeatures ?? []);
  if (because)
    throw new AssertionError(`${reason.replace(/^unsupported: /, '')}, but ${feature} is required (${because})`);
  skipWithReason(test, reason);
}

/** Skips (or, when `--require` makes `feature` required, fails) a test whose optional field the runtime did not report. */
export function requireReported(test: Mocha.Context, feature: string, reported: boolean, what: string): void {
  if (reported) return;
  const because = requiredBecause(feature, ctx().requiredFeatures ?? []);
  if (because) throw new AssertionError(`${what}, but ${feature} is required (${because})`);
  skipWithReason(test, `unsupported: ${what}`);
}

/** Skips as unsupported unless StatusResponse.runtime_handlers reports `feature` for the run's runtime handler. */
export async function requireHandlerFeature(
  test: Mocha.Context,
  feature: keyof RuntimeHandlerFeatures__Output,
): Promise<void> {
  const { runtime_handlers: handlers } = await cri().runtime.Status({ verbose: false }, { role: 'setup' });
  const handler = handlers.find((h) => h.name === ctx().runtimeHandler);
  const what = `StatusResponse.runtime_handlers does not report ${feature} for handler "${ctx().runtimeHandler}"`;
  requireReported(test, 'Status.runtime_handlers', handler?.features?.[feature] === true, what);
}

/** Skips the running test with a reason that the reports show. */
export function skipWithReason(test: Mocha.Context, reason: string): never {
  const title = test.currentTest?.fullTitle() ?? test.test?.fullTitle() ?? '';
  appendRunEvent(ctx().runDir, { kind: 'skip', test: title, reason });
  test.skip();
}
