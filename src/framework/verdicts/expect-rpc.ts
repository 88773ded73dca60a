// verdicts/: how a spec decides. Assertions on CRI calls (expectOk, expectCode, findOne), waiting
// with a deadline (eventually, consistently) and the state reads it polls, optional features
// (skip as unsupported, or fail under --require) with the table of which RPC is optional, the
// typed rpc() describe, the list-streaming checks and the decoding of CRI values (int64, uint64).
//
// Assertions about CRI calls that read as the spec's words and fail with what came back.
import { AssertionError } from 'chai';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CriCallError, type StatusName } from '../../client/errors.js';

/** Awaits a call that must succeed; a failure names the RPC, code, details and request. */
export async function expectOk<T>(call: Promise<T>, what = 'the call'): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof CriCallError) throw new AssertionError(`expected ${what} to succeed, got ${err.message}`);
    throw err;
  }
}

/** Awaits a call that must fail with one of `codes`; returns the error for further checks. */
export async function expectCode(
  call: Promise<unknown>,
  codes: StatusName | StatusName[],
  what?: string,
): Promise<CriCallError> {
  const wanted = Array.isArray(codes) ? codes : [codes];
  const wantedText = wanted.join(' or ');
  try {
    await call;
  } catch (err) {
    if (!(err instanceof CriCallError)) throw err;
    if (wanted.some((c) => GrpcStatus[c] === err.code)) return err;
    throw new AssertionError(`expected ${what ?? err.rpc} to fail with ${wantedText}, got ${err.message}`);
  }
  throw new AssertionError(`expected ${what ?? 'the call'} to fail with ${wantedText}, got OK`);
}

/** Awaits a call that must fail (any status); returns the error. */
export async function expectError(call: Promise<unknown>, what: string): Promise<CriCallError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof CriCallError) return err;
    throw err;
  }
  throw new AssertionError(`expected ${what} to fail, got OK`);
}

/** The one item of `items` matching `match`; fails if there is none or more than one. */
export function findOne<T>(items: readonly T[], match: (item: T) => boolean, what: string): T {
  const found = items.filter(match);
  if (found.length !== 1) {
    throw new AssertionError(`expected exactly one ${what}, found ${found.length} among ${items.length} item(s)`);
  }
  return found[0];
}
