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

export async function startProxy(upstreamEndpoint: string, behaviour: Behaviour = {}): Promise<CriProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'crit-proxy-'));
  const innerPath = join(dir, 'grpc.sock');
  const socketPath = join(dir, 'cri.sock');
  const upstream = new grpc.Client(parseEndpoint(upstreamEndpoint).target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
  const calls = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let downUntil = 0;

  // Relay: the public socket; each connection is piped to the gRPC server's inner socket.
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
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      rmSync(socketPath, { force: true });
      relay.once('error', reject);
      relay.listen(socketPath, () => {
        relay.off('error', reject);
        resolve();
      });
    });
  const dropConnections = (): void => {
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  let silent: { server: Server; url: string; held: Set<Socket> } | undefined;
  const silentServer = createServer();
  const control: ProxyControl = {
    dropConnections,
    goAway(ms) {
      relay.close();
      dropConnections();
      const t = setTimeout(() => {
        timers.delete(t);
        void listen();
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

  const forwardUnary = (method: AnyMethod, request: Buffer, deadline: grpc.Deadline, onCancel: (cancel: () => void) => void): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      if (Date.now() < downUntil) {
        reject(new StatusError(grpc.status.UNAVAILABLE, 'upstream runtime stopped by the self-test (connection refused)'));
        return;
      }
      const call = upstream.makeUnaryRequest(method.path, identity, identity, request, new grpc.Metadata(), { deadline }, (err, value) => {
        if (err) reject(err);
        else resolve(value ?? Buffer.alloc(0));
      });
      onCancel(() => call.cancel());
    });

  const server = new grpc.Server(CHANNEL_OPTIONS);
  const { definition } = loadCri();
  for (const service of SERVICES) {
    const methods = definition[`runtime.v1.${service}`] as unknown as Record<string, AnyMethod>;
    for (const [rpc, method] of Object.entries(methods)) {
      const seen = (): void => {
        calls.set(rpc, (calls.get(rpc) ?? 0) + 1);
        behaviour.onCall?.(rpc, control);
      };
      if (method.responseStream) {
        server.register(method.path, (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
          seen();
          const hook = behaviour.stream?.[rpc];
          if (Date.now() < downUntil) {
            call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'upstream runtime stopped by the self-test (connection refused)' });
            return;
          }
          const up = upstream.makeServerStreamRequest(method.path, identity, identity, call.request, new grpc.Metadata(), { deadline: call.getDeadline() });
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
        }, identity, identity, 'serverStream');
        continue;
      }
      server.register(method.path, (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        seen();
        const cancels: (() => void)[] = [];
        call.on('cancelled', () => cancels.forEach((c) => c()));
        const forward = (buf: Buffer): Promise<Buffer> => forwardUnary(method, buf, call.getDeadline(), (c) => cancels.push(c));
        const hook = behaviour.unary?.[rpc];
        const answer = hook
          ? hook(method.requestDeserialize(call.request), async (req) => method.responseDeserialize(await forward(method.requestSerialize(req))), control).then((res) =>
              method.responseSerialize(res),
            )
          : forward(call.request);
        answer.then(
          (value) => callback(null, value),
          (err: unknown) => callback(toStatus(err)),
        );
      }, identity, identity, 'unary');
    }
  }

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${innerPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  await listen();
  await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
  const held = new Set<Socket>();
  silentServer.on('connection', (s) => {
    held.add(s);
    s.on('error', () => s.destroy());
    s.on('close', () => held.delete(s));
  });
  const address = silentServer.address();
  silent = { server: silentServer, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/silent`, held };

  return {
    endpoint: `unix://${socketPath}`,
    calls,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      relay.close();
      dropConnections();
      for (const s of held) s.destroy();
      silentServer.close();
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
  return { code: grpc.status.INTERNAL, details: `self-test proxy error: ${err instanceof Error ? err.message : String(err)}` };
}
