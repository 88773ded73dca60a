// For the harness's own tests: a CRI client without a runtime behind it.
import type { CriClient } from '../../client/cri-client.js';
import { parseEndpoint } from '../../client/endpoint.js';
import { DEFAULT_TIMEOUTS } from '../../client/timeouts.js';
import { setContext, type RunContext } from './context.js';
import { defaultCatalogue } from './images.js';

export type Handler = (req: Record<string, unknown>) => unknown;

/** A CRI client whose RPCs are recorded and answered by `handlers` (OK with {} by default). */
export function fakeClient(handlers: Record<string, Handler> = {}): { client: CriClient; calls: string[] } {
  const calls: string[] = [];
  // An RPC the framework wrapped (set on the service) is served by its wrapper.
  const service = new Proxy<Record<string, unknown>>(
    {},
    {
      get: (wrapped, rpc: string) =>
        wrapped[rpc] ??
        (async (req: Record<string, unknown>) => {
          const id = (req.pod_sandbox_id ??
            req.container_id ??
            (req.image as { image?: string } | undefined)?.image ??
            '') as string;
          calls.push(`${rpc} ${id}`.trim());
          const handler = handlers[rpc];
          return handler ? handler(req) : {};
        }),
    },
  );
  const endpoint = parseEndpoint('unix:///fake.sock');
  return {
    calls,
    client: {
      runtimeEndpoint: endpoint,
      imageEndpoint: endpoint,
      runtime: service,
      image: service,
      close: () => undefined,
    } as unknown as CriClient,
  };
}

/** Sets the run context of a harness test against the fake client, writing run files to `runDir`. */
export function useFakeContext(runDir: string, more: Partial<RunContext> = {}): void {
  setContext({
    runId: 'test1234',
    runtimeEndpoint: 'unix:///fake.sock',
    imageEndpoint: 'unix:///fake.sock',
    runtimeHandler: '',
    timeouts: DEFAULT_TIMEOUTS,
    images: defaultCatalogue(),
    runDir,
    ...more,
  });
}
