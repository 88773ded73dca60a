// The process's one CRI connection (one gRPC channel per worker), opened on first use.
import { connect, type CriClient } from '../../client/cri-client.js';
import { ctx } from './context.js';
import { callObserver, currentTest } from './current-test.js';
import { noteStarted } from './started.js';
import { READS_POD_CONTAINERS, readsWorkerPod } from './worker-pods.js';

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
    guardWorkerPods(client);
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

/** A test's read of what a worker pod holds for every spec file fails at once (worker-pods.ts). */
function guardWorkerPods(c: CriClient): void {
  const runtime = c.runtime as unknown as Record<string, (request: Record<string, unknown>, opts?: unknown) => unknown>;
  for (const rpc of READS_POD_CONTAINERS) {
    const call = runtime[rpc].bind(c.runtime);
    runtime[rpc] = (request, opts) => {
      const why = currentTest()?.test ? readsWorkerPod(rpc, request) : undefined;
      if (why) return Promise.reject(new Error(why));
      return call(request, opts);
    };
  }
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
  guardWorkerPods(fake);
  opened = undefined;
}
