// The process's one CRI connection (one gRPC channel per worker), opened on first use.
import { connect, type CriClient } from '../../client/cri-client.js';
import { ctx } from './context.js';
import { callObserver } from './current-test.js';

let client: CriClient | undefined;

export function cri(): CriClient {
  if (!client) {
    const c = ctx();
    client = connect({
      runtimeEndpoint: c.runtimeEndpoint,
      imageEndpoint: c.imageEndpoint,
      timeouts: c.timeouts,
      observer: callObserver,
    });
  }
  return client;
}

let opened: Promise<void> | undefined;

/**
 * Opens the process's channel ahead of its first test: parsing the CRI definition and connecting
 * cost a new worker ~0.1 s, which otherwise lands in whichever test comes first. One Version call
 * (a setup call) proves the connection. A failure is left for the tests to meet and report: they
 * make the same calls and name what failed.
 */
export function openCri(): Promise<void> {
  opened ??= (async () => {
    await cri().runtime.Version({ version: 'v1' }, { role: 'setup' });
  })().catch(() => undefined);
  return opened;
}

/** For the harness's own tests: serve `cri()` from a fake client. */
export function useCriClient(fake: CriClient): void {
  client = fake;
  opened = undefined;
}
