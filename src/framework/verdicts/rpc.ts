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

const testIds = new WeakMap<Mocha.Runnable, string>();
const usedIds = new Map<string, string>();

/**
 * `it` with a stable id: `itId('stop-container.sigterm', 'stops a process …', fn)`. The self-test
 * names the tests that must catch a mutant by these ids, so a title may be reworded freely; results
 * and junit.xml carry the id. An id is a lower-case dotted name, unique in the suite.
 */
export function itId(id: string, title: string, fn: Mocha.AsyncFunc): Mocha.Test {
  if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(id)) throw new Error(`test id "${id}" is not a lower-case dotted name`);
  const test = it(title, fn);
  const other = usedIds.get(id);
  if (other !== undefined && other !== test.fullTitle())
    throw new Error(`test id "${id}" is given to two tests: "${other}" and "${test.fullTitle()}"`);
  usedIds.set(id, test.fullTitle());
  testIds.set(test, id);
  return test;
}

/** The stable id `itId` gave `test`, if any. */
export function idOfTest(test: Mocha.Runnable): string | undefined {
  return testIds.get(test);
}
