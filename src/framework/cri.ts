// The process's one CRI connection (one gRPC channel per worker), opened on first use.
import { connect, type CriClient } from '../client/cri-client.js';
import { ctx } from './context.js';

let client: CriClient | undefined;

export function cri(): CriClient {
  if (!client) {
    const c = ctx();
    client = connect({ runtimeEndpoint: c.runtimeEndpoint, imageEndpoint: c.imageEndpoint, timeouts: c.timeouts });
  }
  return client;
}

export function closeCri(): void {
  client?.close();
  client = undefined;
}

/** For the harness's own tests: serve `cri()` from a fake client. */
export function useCriClient(fake: CriClient): void {
  client = fake;
}
