// `rpc('StopPodSandbox', …)` is a describe whose title must be a CRI RPC name from api.proto:
// a misspelled name does not compile. `rpc('CreateContainer', { feature: 'config.mounts' }, …)`
// also names the request field its tests are about.
import type { ImageRpc, RuntimeRpc } from '../../client/call.js';

export type CriRpc = RuntimeRpc | ImageRpc;

const rpcSuites = new WeakMap<Mocha.Suite, CriRpc>();
const suiteFeatures = new WeakMap<Mocha.Suite, string>();

export interface RpcOptions {
  /**
   * The request field path the tests of this describe are about, e.g.
   * `config.linux.security_context.capabilities`: junit.xml names it beside `Area.RPC`, and the
   * honesty check fails a test whose call under test does not set it. Leave it out for tests of the
   * RPC's basic behaviour.
   */
  feature?: string;
}

export function rpc(name: CriRpc, body: (this: Mocha.Suite) => void): Mocha.Suite;
export function rpc(name: CriRpc, options: RpcOptions, body: (this: Mocha.Suite) => void): Mocha.Suite;
export function rpc(
  name: CriRpc,
  second: RpcOptions | ((this: Mocha.Suite) => void),
  third?: (this: Mocha.Suite) => void,
): Mocha.Suite {
  const [options, body] = typeof second === 'function' ? [{}, second] : [second, third!];
  const suite = describe(name, body);
  rpcSuites.set(suite, name);
  if (options.feature !== undefined) suiteFeatures.set(suite, checkedFeature(options.feature));
  return suite;
}

function checkedFeature(path: string): string {
  if (!/^[a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*$/.test(path))
    throw new Error(`feature "${path}" is not a request field path (e.g. config.linux.security_context.capabilities)`);
  return path;
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
const testFeatures = new WeakMap<Mocha.Runnable, string>();
const usedIds = new Map<string, string>();

/**
 * `it` with a stable id: `itId('stop-container.sigterm', 'stops a process …', fn)`. The self-test
 * names the tests that must catch a mutant by these ids, so a title may be reworded freely; results
 * and junit.xml carry the id. An id is a lower-case dotted name, unique in the suite. `options.feature`
 * names the request field the test is about where its describe's feature does not.
 */
export function itId(id: string, title: string, fn: Mocha.AsyncFunc, options: RpcOptions = {}): Mocha.Test {
  if (!/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(id)) throw new Error(`test id "${id}" is not a lower-case dotted name`);
  const test = it(title, fn);
  const other = usedIds.get(id);
  if (other !== undefined && other !== test.fullTitle())
    throw new Error(`test id "${id}" is given to two tests: "${other}" and "${test.fullTitle()}"`);
  usedIds.set(id, test.fullTitle());
  testIds.set(test, id);
  if (options.feature !== undefined) testFeatures.set(test, checkedFeature(options.feature));
  return test;
}

/** The stable id `itId` gave `test`, if any. */
export function idOfTest(test: Mocha.Runnable): string | undefined {
  return testIds.get(test);
}

/** The request field path `test` is about: its own (itId) or its innermost describe's, if any. */
export function featureOfTest(test: Mocha.Runnable): string | undefined {
  const own = testFeatures.get(test);
  if (own !== undefined) return own;
  for (let suite = test.parent; suite; suite = suite.parent) {
    const feature = suiteFeatures.get(suite);
    if (feature !== undefined) return feature;
    if (rpcSuites.has(suite)) return undefined;
  }
  return undefined;
}
