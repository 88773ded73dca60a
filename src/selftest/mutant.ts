// The shape of a mutant and the helpers the catalogue builds mutants with. A mutant is one
// plausible runtime bug, injected by the proxy; the tests named in `caughtBy` must catch it with a
// failure whose message matches `expect`.
import * as grpc from '@grpc/grpc-js';
import { StatusError, type Behaviour, type Msg } from './behaviour.js';

export interface Mutant extends Behaviour {
  name: string;
  /** Spec files (without .spec.ts) whose tests must catch it. */
  groups: string[];
  /** The contract the runtime breaks, in words. */
  violates: string;
  /**
   * Stable ids (`itId` in the spec files) of the few tests that should catch it: a title may be
   * reworded, and an id that no test has any more fails the self-test.
   */
  caughtBy: string[];
  /** A failure message of a catching test matches this. */
  expect: RegExp;
  /** The bug keeps the suite from removing what it created: the runner sweeps on the real socket. */
  leaves?: boolean;
  /**
   * Every test of `caughtBy` that does not pass must be a conformance failure: a harness
   * error among them (the call under test made as a fixture's setup) lets the mutant survive.
   */
  failuresOnly?: true;
  /**
   * CLI flags its run needs besides the runner's, e.g. `--runtime-handler runc-1.3` for a feature
   * that the test bed's default handler does not report (its tests would skip there).
   */
  flags?: string[];
  /** Why it cannot be killed on the test bed's runtime (printed with the survivor). */
  survives?: string;
}

/** Rewrites the response of `rpc` in place. */
export function onResponse(rpc: string, edit: (res: Msg, req: Msg) => void): Behaviour {
  return {
    unary: {
      [rpc]: async (req, forward) => {
        const res = await forward(req);
        edit(res, req);
        return res;
      },
    },
  };
}

/** Rewrites the request of `rpc` in place before forwarding it. */
export function onRequest(rpc: string, edit: (req: Msg) => void): Behaviour {
  return { unary: { [rpc]: async (req, forward) => (edit(req), forward(req)) } };
}

/** Answers `rpc` with `answer` and does not forward it: a call that "succeeds" and does nothing. */
export function noop(rpc: string, answer: Msg = {}): Behaviour {
  return { unary: { [rpc]: async () => answer } };
}

/** Answers `rpc` with an error status when `when(request)` holds, else forwards it. */
export function failWhen(
  rpc: string,
  code: grpc.status,
  details: string,
  when: (req: Msg) => boolean = () => true,
): Behaviour {
  return {
    unary: {
      [rpc]: async (req, forward) => {
        if (when(req)) throw new StatusError(code, details);
        return forward(req);
      },
    },
  };
}

/** Turns an error `code` of the real runtime into success with `answer`: an error swallowed. */
export function swallow(rpc: string, code: grpc.status, answer: Msg = {}): Behaviour {
  return {
    unary: {
      [rpc]: async (req, forward) => {
        try {
          return await forward(req);
        } catch (err) {
          if ((err as { code?: number }).code === code) return answer;
          throw err;
        }
      },
    },
  };
}

export const RUN_LABEL_KEY = 'io.cri-conformance.run';

/**
 * Drops every label selector key except the run label, so that a "filter ignored" mutant never
 * widens the suite's sweep to objects of other runs (the test bed is shared).
 */
export function keepOnlyRunLabel(selector: Record<string, string> | undefined): Record<string, string> {
  const kept: Record<string, string> = {};
  if (selector?.[RUN_LABEL_KEY]) kept[RUN_LABEL_KEY] = selector[RUN_LABEL_KEY];
  return kept;
}

/**
 * Answers NOT_FOUND for `rpc` on an id that no `createRpc` response of this proxy returned: a
 * runtime whose stop or remove of an unknown id is not idempotent.
 */
export function notFoundUnlessCreated(
  createRpc: string,
  createdField: string,
  rpc: string,
  idField: string,
): Behaviour {
  const created = new Set<string>();
  return {
    unary: {
      [createRpc]: async (req, forward) => {
        const res = await forward(req);
        created.add(res[createdField]);
        return res;
      },
      [rpc]: async (req, forward) => {
        if (!created.has(req[idField])) throw new StatusError(grpc.status.NOT_FOUND, `${req[idField]} not found`);
        return forward(req);
      },
    },
  };
}

/** Forwards the first `rpc` call per id and answers NOT_FOUND to every later one: a non-idempotent remove. */
export function notFoundOnSecondCall(rpc: string, idField: string): Behaviour {
  const seen = new Set<string>();
  return {
    unary: {
      [rpc]: async (req, forward) => {
        if (seen.has(req[idField])) throw new StatusError(grpc.status.NOT_FOUND, `${req[idField]} not found`);
        seen.add(req[idField]);
        return forward(req);
      },
    },
  };
}
