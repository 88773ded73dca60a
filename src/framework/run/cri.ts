// The process's one CRI connection (one gRPC channel per worker), opened on first use.
import { connect, type CriClient } from '../../client/cri-client.js';
import { ctx } from './context.js';
import { callObserver } from './current-test.js';
import { noteStarted } from './started.js';

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
    noteStarts(client);
  }
  return client;
}

/** Records each StartContainer that answered OK (see started.ts). */
function noteStarts(c: CriClient): void {
  const start = c.runtime.StartContainer.bind(c.runtime);
  c.runtime.StartContainer = async (request, opts) => {
    const res = await start(request, opts);
    noteStarted(request.container_id ?? '');
    return res;
  };
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
  noteStarts(fake);
  opened = undefined;
}
