// `rpc('StopPodSandbox', …)` is a describe whose title must be a CRI RPC name from api.proto:
// a misspelled name does not compile.
import type { ImageRpc, RuntimeRpc } from '../../client/call.js';

export type CriRpc = RuntimeRpc | ImageRpc;

const rpcSuites = new WeakMap<Mocha.Suite, CriRpc>();

export function rpc(name: CriRpc, body: (this: Mocha.Suite) => void): Mocha.Suite {
  const suite = describe(name, body);
  rpcSuites.set(suite, name);
  return suite;
}

/** The RPC of the innermost `rpc('X')` describe that holds `test`, if any. */
export function rpcOfTest(test: Mocha.Runnable): CriRpc | undefined {
  for (let suite = test.parent; suite; suite = suite.parent) {
    const name = rpcSuites.get(suite);
    if (name) return name;
  }
  return undefined;
}
