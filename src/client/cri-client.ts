// Connects to a runtime's RuntimeService and ImageService and hands out their typed APIs.
import * as grpc from '@grpc/grpc-js';
import { existsSync } from 'node:fs';
import { buildApi, type ImageApi, type RuntimeApi } from './call.js';
import { loadCri } from './proto.js';
import { parseEndpoint, type Endpoint } from './endpoint.js';
import { CriCallError } from './errors.js';
import type { CallObserver } from './call-log.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.js';

/** kubelet raises the gRPC message limit to 16 MiB; a big ListImages needs it. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

export interface CriClient {
  readonly runtimeEndpoint: Endpoint;
  readonly imageEndpoint: Endpoint;
  readonly runtime: RuntimeApi;
  readonly image: ImageApi;
  close(): void;
}

export interface ConnectOptions {
  runtimeEndpoint: string;
  imageEndpoint?: string;
  timeouts?: Timeouts;
  /** Tells each call where it belongs (which test, hook or body); calls belong to no test without it. */
  observer?: CallObserver;
}

export function connect(opts: ConnectOptions): CriClient {
  const { definition, grpcObject } = loadCri();
  const runtimeEndpoint = parseEndpoint(opts.runtimeEndpoint);
  const imageEndpoint = parseEndpoint(opts.imageEndpoint || opts.runtimeEndpoint);
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const credentials = grpc.credentials.createInsecure();
  const v1 = grpcObject.runtime.v1;
  const runtimeClient = new v1.RuntimeService(runtimeEndpoint.target, credentials, CHANNEL_OPTIONS);
  const imageClient = new v1.ImageService(imageEndpoint.target, credentials, CHANNEL_OPTIONS);
  return {
    runtimeEndpoint,
    imageEndpoint,
    runtime: buildApi<RuntimeApi>(runtimeClient, definition, 'RuntimeService', timeouts, opts.observer),
    image: buildApi<ImageApi>(imageClient, definition, 'ImageService', timeouts, opts.observer),
    close: () => {
      runtimeClient.close();
      imageClient.close();
    },
  };
}

export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/**
 * Polls a cheap RPC of each service until it answers or `timeoutMs` passes. Any answer from the
 * runtime, even an error status, proves it is reachable; UNAVAILABLE and DEADLINE_EXCEEDED do not.
 */
export async function waitForReady(client: CriClient, timeoutMs: number): Promise<void> {
  const probes: [Endpoint, string, () => Promise<unknown>][] = [
    [
      client.runtimeEndpoint,
      'runtime',
      () => client.runtime.Version({ version: 'v1' }, { timeoutMs: Math.min(2_000, timeoutMs), role: 'setup' }),
    ],
    [
      client.imageEndpoint,
      'image',
      () => client.image.ImageFsInfo({}, { timeoutMs: Math.min(2_000, timeoutMs), role: 'setup' }),
    ],
  ];
  const until = Date.now() + timeoutMs;
  for (const [endpoint, kind, probe] of probes) {
    let last = '';
    for (let attempt = 0; ; attempt += 1) {
      try {
        await probe();
        break;
      } catch (err) {
        const unreachable =
          err instanceof CriCallError &&
          (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED);
        if (!unreachable) break;
        last = `${err.codeName}: ${shortReason(err.details, endpoint)}`;
      }
      if (Date.now() >= until) {
        throw new UnreachableError(
          `cannot reach ${kind} endpoint ${endpoint.original} within ${Math.round(timeoutMs / 1000)}s (${last})`,
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 1_000, Math.max(until - Date.now(), 1))));
    }
  }
}

function shortReason(details: string, endpoint: Endpoint): string {
  const m = /(connect \w+|ECONNREFUSED|ENOENT|EACCES)/.exec(details);
  if (m) return m[1].startsWith('connect') ? m[1] : `connect ${m[1]}`;
  if (endpoint.kind === 'unix' && endpoint.path && !existsSync(endpoint.path)) return 'connect ENOENT';
  return details.split('\n')[0].slice(0, 120);
}
