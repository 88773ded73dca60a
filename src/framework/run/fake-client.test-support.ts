// For the harness's own tests: a CRI client without a runtime behind it.
import type { CriClient } from '../../client/cri-client.js';
import { parseEndpoint } from '../../client/endpoint.js';

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
