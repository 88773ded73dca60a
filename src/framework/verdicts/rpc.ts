// `rpc('StopPodSandbox', …)` is a describe whose title must be a CRI RPC name from api.proto:
// a misspelled name does not compile.
import type { ImageRpc, RuntimeRpc } from '../../client/call.js';

export type CriRpc = RuntimeRpc | ImageRpc;

export function rpc(name: CriRpc, body: (this: Mocha.Suite) => void): Mocha.Suite {
  return describe(name, body);
}
