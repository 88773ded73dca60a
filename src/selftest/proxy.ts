// A CRI proxy for the self-test: a gRPC server on a unix socket in a temp dir that forwards every
// RPC of RuntimeService and ImageService to the real runtime, unchanged except for one injected
// behaviour. RPCs the behaviour does not hook pass through as raw bytes (identity serializers);
// hooked ones are decoded and re-encoded with the proto's own serializers from loadCri().
//
// Clients connect to a small relay socket in front of the gRPC server, so that transport faults
// can drop connections or make the "runtime" disappear and come back.
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_MESSAGE_BYTES } from '../client/cri-client.js';
import { parseEndpoint } from '../client/endpoint.js';
import { loadCri } from '../client/proto.js';
import { StatusError, type Behaviour, type Msg, type ProxyControl } from './behaviour.js';

type AnyMethod = MethodDefinition<Msg, Msg, Msg, Msg>;

const SERVICES = ['RuntimeService', 'ImageService'] as const;
const identity = (b: Buffer): Buffer => b;
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
};

export interface CriProxy {
  /** The endpoint to give the suite, `unix:///tmp/crit-proxy-…/cri.sock`. */
  readonly endpoint: string;
  /** Calls seen per RPC. */
  readonly calls: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The public socket: each connection is piped to the gRPC server's inner socket. */
interface Relay {
  listen(): Promise<void>;
  /** Drops every open connection; the socket keeps listening. */
  dropConnections(): void;
  close(): void;
}

function makeRelay(socketPath: string, innerPath: string): Relay {
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const inner = createConnection(innerPath);
    sockets.add(client);
    sockets.add(inner);
    const drop = (): void => {
      client.destroy();
      inner.destroy();
      sockets.delete(client);
      sockets.delete(inner);
    };
    client.on('error', drop).on('close', drop);
    inner.on('error', drop).on('close', drop);
    client.pipe(inner).pipe(client);
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        rmSync(socketPath, { force: true });
        relay.once('error', reject);
        relay.listen(socketPath, () => {
          relay.off('error', reject);
          resolve();
        });
      }),
    dropConnections() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () => relay.close(),
  };
}

/** An HTTP port that accepts connections and never answers (for streaming-timeout mutants). */
interface SilentListener {
  url: string;
  close(): void;
}

async function startSilentListener(): Promise<SilentListener> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const held = new Set<Socket>();
  server.on('connection', (s) => {
    held.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => held.delete(s));
  });
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/silent`,
    close() {
      for (const s of held) s.destroy();
      server.close();
    },
  };
}

/** What the registered handlers share: the upstream channel, the behaviour and the fault state. */
interface Forwarding {
  upstream: grpc.Client;
  behaviour: Behaviour;
  control: ProxyControl;
  /** The upstream "runtime" is stopped until this time (ms since the epoch). */
  downUntil: () => number;
}

const UPSTREAM_DOWN = 'upstream runtime stopped by the self-test (connection refused)';

function forwardUnary(
  f: Forwarding,
  method: AnyMethod,
  request: Buffer,
  deadline: grpc.Deadline,
  onCancel: (cancel: () => void) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Date.now() < f.downUntil()) {
      reject(new StatusError(grpc.status.UNAVAILABLE, UPSTREAM_DOWN));
      return;
    }
    const call = f.upstream.makeUnaryRequest(
      method.path,
      identity,
      identity,
      request,
      new grpc.Metadata(),
      { deadline },
      (err, value) => {
        if (err) reject(err);
        else resolve(value ?? Buffer.alloc(0));
      },
    );
    onCancel(() => call.cancel());
  });
}

/** A server-streaming RPC: forwarded item by item, each passed through the behaviour's hook if it has one. */
function registerStream(server: grpc.Server, f: Forwarding, rpc: string, method: AnyMethod, seen: () => void): void {
  server.register(
    method.path,
    (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
      seen();
      const hook = f.behaviour.stream?.[rpc];
      if (Date.now() < f.downUntil()) {
        call.emit('error', { code: grpc.status.UNAVAILABLE, details: UPSTREAM_DOWN });
        return;
      }
      const up = f.upstream.makeServerStreamRequest(
        method.path,
        identity,
        identity,
        call.request,
        new grpc.Metadata(),
        { deadline: call.getDeadline() },
      );
      call.on('cancelled', () => up.cancel());
      const request = hook ? method.requestDeserialize(call.request) : {};
      up.on('data', (buf: Buffer) => {
        if (!hook) {
          call.write(buf);
          return;
        }
        const item = hook(method.responseDeserialize(buf), request);
        if (item) call.write(method.responseSerialize(item));
      });
      up.on('error', () => undefined); // reported through 'status'
      up.on('status', (s: grpc.StatusObject) => {
        if (s.code === grpc.status.OK) call.end();
        else call.emit('error', { code: s.code, details: s.details });
      });
    },
    identity,
    identity,
    'serverStream',
  );
}

/** A unary RPC: forwarded as bytes, or decoded, handed to the behaviour's hook and re-encoded. */
function registerUnary(server: grpc.Server, f: Forwarding, rpc: string, method: AnyMethod, seen: () => void): void {
  server.register(
    method.path,
    (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      seen();
      const cancels: (() => void)[] = [];
      call.on('cancelled', () => cancels.forEach((c) => c()));
      const forward = (buf: Buffer): Promise<Buffer> =>
        forwardUnary(f, method, buf, call.getDeadline(), (c) => cancels.push(c));
      const hook = f.behaviour.unary?.[rpc];
      const answer = hook
        ? hook(
            method.requestDeserialize(call.request),
            async (req) => method.responseDeserialize(await forward(method.requestSerialize(req))),
            f.control,
          ).then((res) => method.responseSerialize(res))
        : forward(call.request);
      answer.then(
        (value) => callback(null, value),
        (err: unknown) => callback(toStatus(err)),
      );
    },
    identity,
    identity,
    'unary',
  );
}

export async function startProxy(upstreamEndpoint: string, behaviour: Behaviour = {}): Promise<CriProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'crit-proxy-'));
  const innerPath = join(dir, 'grpc.sock');
  const socketPath = join(dir, 'cri.sock');
  const upstream = new grpc.Client(
    parseEndpoint(upstreamEndpoint).target,
    grpc.credentials.createInsecure(),
    CHANNEL_OPTIONS,
  );
  const calls = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let downUntil = 0;
  const relay = makeRelay(socketPath, innerPath);
  let silent: SilentListener | undefined;
  const control: ProxyControl = {
    dropConnections: () => relay.dropConnections(),
    goAway(ms) {
      relay.close();
      relay.dropConnections();
      const t = setTimeout(() => {
        timers.delete(t);
        void relay.listen();
      }, ms);
      timers.add(t);
    },
    upstreamDown(ms) {
      downUntil = Date.now() + ms;
    },
    silentListenerUrl() {
      if (!silent) throw new Error('silent listener not started');
      return silent.url;
    },
    count: (rpc) => calls.get(rpc) ?? 0,
  };

  const forwarding: Forwarding = { upstream, behaviour, control, downUntil: () => downUntil };
  const server = new grpc.Server(CHANNEL_OPTIONS);
  const { definition } = loadCri();
  for (const service of SERVICES) {
    const methods = definition[`runtime.v1.${service}`] as unknown as Record<string, AnyMethod>;
    for (const [rpc, method] of Object.entries(methods)) {
      const seen = (): void => {
        calls.set(rpc, (calls.get(rpc) ?? 0) + 1);
        behaviour.onCall?.(rpc, control);
      };
      if (method.responseStream) registerStream(server, forwarding, rpc, method, seen);
      else registerUnary(server, forwarding, rpc, method, seen);
    }
  }

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${innerPath}`, grpc.ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  await relay.listen();
  silent = await startSilentListener();
  const listening = silent;

  return {
    endpoint: `unix://${socketPath}`,
    calls,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      relay.close();
      relay.dropConnections();
      listening.close();
      server.forceShutdown();
      upstream.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The status a failed hook or upstream call answers the client with. */
function toStatus(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof StatusError) return { code: err.code, details: err.details };
  const e = err as Partial<grpc.ServiceError>;
  if (typeof e?.code === 'number') return { code: e.code, details: e.details ?? e.message ?? '' };
  return {
    code: grpc.status.INTERNAL,
    details: `self-test proxy error: ${err instanceof Error ? err.message : String(err)}`,
  };
}
