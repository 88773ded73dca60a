// What the self-test proxy can inject into a call: the shared shape of mutants (contract
// violations) and transport faults. A behaviour hooks only the RPCs it names; every other RPC
// passes through the proxy byte for byte.
import * as grpc from '@grpc/grpc-js';

/** A decoded CRI message (proto-loader objects: keepCase, longs and enums as strings, defaults). */
export type Msg = Record<string, any>;

/** Forwards a (possibly rewritten) request to the real runtime and returns its decoded response. */
export type Forward = (request: Msg) => Promise<Msg>;

/** Controls of the proxy that transport faults use. */
export interface ProxyControl {
  /** Destroys every client connection now (the client reconnects on its next call). */
  dropConnections(): void;
  /** Stops listening and drops every connection, as a killed runtime would; listens again after `ms`. */
  goAway(ms: number): void;
  /** Makes every forwarded call fail with UNAVAILABLE for `ms`, as an upstream that is down would. */
  upstreamDown(ms: number): void;
  /** A TCP listener on 127.0.0.1 that accepts connections and never answers; its URL. */
  silentListenerUrl(): string;
  /** Counts calls of `rpc` seen so far, including this one. */
  count(rpc: string): number;
}

/** Replaces one unary RPC: rewrite the request, forward it (or not), rewrite the response. */
export type UnaryHook = (request: Msg, forward: Forward, proxy: ProxyControl) => Promise<Msg>;

/** Rewrites (or drops, by returning undefined) each item of a server-streaming RPC. */
export type StreamHook = (item: Msg, request: Msg) => Msg | undefined;

export interface Behaviour {
  unary?: Partial<Record<string, UnaryHook>>;
  stream?: Partial<Record<string, StreamHook>>;
  /** Called when any call arrives, before it is forwarded (transport faults). */
  onCall?: (rpc: string, proxy: ProxyControl) => void;
}

/** A gRPC status the proxy answers with instead of forwarding. */
export class StatusError extends Error {
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

/** A promise that never settles: an RPC the "runtime" never answers. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
