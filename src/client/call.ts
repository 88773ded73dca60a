// One generic wrapper types every CRI RPC from the generated definitions: no hand-written
// per-RPC methods, and a misspelled RPC name does not compile.
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import type { RuntimeServiceClient, RuntimeServiceDefinition } from '../generated/runtime/v1/RuntimeService.js';
import type { ImageServiceClient, ImageServiceDefinition } from '../generated/runtime/v1/ImageService.js';
import { CriCallError } from './errors.js';
import { OUTSIDE_TESTS, recordCall, type CallObserver, type CallOrigin, type CallRole } from './call-log.js';
import { requestFieldPaths, summarizeRequest } from './field-paths.js';
import { deadlineFor, type Timeouts } from './timeouts.js';

/** Method names of a generated service definition, without its index signature. */
export type RpcName<Def> = keyof { [K in keyof Def as string extends K ? never : K]: 0 } & string;
type ReqOf<Def, M extends keyof Def> = Def[M] extends MethodDefinition<infer Q, never, unknown, unknown> ? Q : never;
type ResOf<Def, M extends keyof Def> = Def[M] extends MethodDefinition<never, never, unknown, infer R> ? R : never;
type IsStream<Client, M> = M extends keyof Client
  ? Client[M] extends (...args: never[]) => infer R
    ? R extends grpc.ClientReadableStream<unknown>
      ? true
      : false
    : false
  : false;

export interface CallOpts {
  /** Deadline for this call, overriding the per-RPC default. */
  timeoutMs?: number;
  /** `setup` for fixture calls made by helpers; the default is the call under test. */
  role?: CallRole;
}

/** A server-streaming call: iterate it; breaking out of the loop cancels the call. */
export interface CallStream<T> extends AsyncIterable<T> {
  cancel(): void;
  /** Reads the whole stream into an array. */
  collect(): Promise<T[]>;
}

type Api<Def, Client> = {
  [M in RpcName<Def>]: IsStream<Client, M> extends true
    ? (request: ReqOf<Def, M>, opts?: CallOpts) => CallStream<ResOf<Def, M>>
    : (request: ReqOf<Def, M>, opts?: CallOpts) => Promise<ResOf<Def, M>>;
};

export type RuntimeApi = Api<RuntimeServiceDefinition, RuntimeServiceClient>;
export type ImageApi = Api<ImageServiceDefinition, ImageServiceClient>;
export type RuntimeRpc = RpcName<RuntimeServiceDefinition>;
export type ImageRpc = RpcName<ImageServiceDefinition>;

type AnyMethod = MethodDefinition<object, object, object, object> & { requestType: { type: { name: string } } };

/** Builds the promise/stream API of one service over a grpc-js client. */
export function buildApi<T>(
  client: grpc.Client,
  definition: PackageDefinition,
  service: 'RuntimeService' | 'ImageService',
  timeouts: Timeouts,
  observer: CallObserver = OUTSIDE_TESTS,
): T {
  const methods = definition[`runtime.v1.${service}`] as unknown as Record<string, AnyMethod>;
  const api: Record<string, unknown> = {};
  for (const [rpc, method] of Object.entries(methods)) {
    const site: CallSite = { client, definition, service, rpc, method, timeouts, observer };
    api[rpc] = method.responseStream
      ? (req: object, opts: CallOpts = {}) => serverStream(site, req, opts)
      : (req: object, opts: CallOpts = {}) => unary(site, req, opts);
  }
  return api as T;
}

/** One RPC of one service on one client: what every call of it shares. */
interface CallSite {
  client: grpc.Client;
  definition: PackageDefinition;
  service: 'RuntimeService' | 'ImageService';
  rpc: string;
  method: AnyMethod;
  timeouts: Timeouts;
  observer: CallObserver;
}

/**
 * The role of a call: the caller's, except that a call of the RPC a test is under, made in that
 * test's body or by a fixture it started, is always the call under test (so a fixture that makes
 * it cannot turn a conformance failure into a harness error).
 */
export function roleOf(rpc: string, origin: CallOrigin, opts: CallOpts): CallRole {
  if (!origin.hook && origin.rpcUnderTest === rpc) return 'under-test';
  return opts.role ?? 'under-test';
}

/** Deadline, request field paths and a recorder of the call's outcome in the call log. */
function begin(
  site: CallSite,
  request: object,
  opts: CallOpts,
  stream: boolean,
): { deadline: Date; role: CallRole; record: (code: number) => void } {
  const started = performance.now();
  const startedAt = Date.now();
  const origin = site.observer();
  const role = roleOf(site.rpc, origin, opts);
  const deadline = new Date(Date.now() + (opts.timeoutMs ?? deadlineFor(site.rpc, request, site.timeouts)));
  const fields = requestFieldPaths(site.definition, site.method.requestType.type.name, request);
  let recorded = false;
  const record = (code: number): void => {
    if (recorded) return;
    recorded = true;
    recordCall(
      {
        rpc: site.rpc,
        service: site.service,
        fields,
        code,
        codeName: grpc.status[code] ?? String(code),
        startedAt,
        durationMs: performance.now() - started,
        role,
        stream,
      },
      origin,
    );
  };
  return { deadline, role, record };
}

function unary(site: CallSite, request: object, opts: CallOpts): Promise<object> {
  const { deadline, role, record } = begin(site, request, opts, false);
  const { method } = site;
  return new Promise((resolve, reject) => {
    site.client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      new grpc.Metadata(),
      { deadline },
      (err: grpc.ServiceError | null, value?: object) => {
        record(err ? (err.code ?? grpc.status.UNKNOWN) : grpc.status.OK);
        if (err) reject(CriCallError.fromServiceError(site.rpc, err, summarizeRequest(request), role));
        else resolve(value ?? {});
      },
    );
  });
}

function serverStream(site: CallSite, request: object, opts: CallOpts): CallStream<object> {
  const { deadline, role, record } = begin(site, request, opts, true);
  const { method } = site;
  const call = site.client.makeServerStreamRequest(
    method.path,
    method.requestSerialize,
    method.responseDeserialize,
    request,
    new grpc.Metadata(),
    { deadline },
  );
  call.on('status', (s: grpc.StatusObject) => record(s.code));
  const iterate = async function* (): AsyncGenerator<object> {
    try {
      for await (const item of call as AsyncIterable<object>) yield item;
    } catch (err) {
      const e = err as grpc.ServiceError;
      record(e.code ?? grpc.status.UNKNOWN);
      throw CriCallError.fromServiceError(site.rpc, e, summarizeRequest(request), role);
    } finally {
      call.cancel();
    }
  };
  return {
    [Symbol.asyncIterator]: iterate,
    cancel: () => call.cancel(),
    collect: async () => {
      const items: object[] = [];
      for await (const item of iterate()) items.push(item);
      return items;
    },
  };
}
