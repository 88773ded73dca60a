// Checks shared by the CRIListStreaming RPCs (api.proto: "streams results in lists of at least one
// item ... Each item must appear in exactly one response and must not be duplicated across
// responses in the same stream"): concatenates a stream's responses into one list.
import { AssertionError } from 'chai';

export function concatStreamed<R, T>(
  rpc: string,
  responses: readonly R[],
  items: (r: R) => readonly T[],
  id: (item: T) => string,
): T[] {
  const sizes = responses.map((r) => items(r).length);
  if (sizes.some((n) => n === 0))
    throw new AssertionError(
      `expected every ${rpc} response to hold at least one item, got response sizes [${sizes.join(', ')}]`,
    );
  const all = responses.flatMap((r) => items(r));
  const ids = all.map(id);
  const twice = ids.filter((x, i) => ids.indexOf(x) !== i);
  if (twice.length > 0)
    throw new AssertionError(`expected each item once in the ${rpc} stream, got ${twice.join(', ')} more than once`);
  return all;
}

/** `items` sorted by id, for comparing a stream with its List* counterpart. */
export function byId<T>(items: readonly T[], id: (item: T) => string): T[] {
  return [...items].sort((a, b) => id(a).localeCompare(id(b)));
}
