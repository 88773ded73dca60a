// Port forward, protocol-neutral: a session under one deadline, and the forwarded connections it
// carries (data both ways, plus whatever the server reports on the connection's error channel).
import { Deadline, seconds, StreamingError } from './session.js';

export interface ForwardResult {
  /** Everything the forwarded port sent back. */
  data: Buffer;
  /** What the server wrote on the error channel/stream ('' when it reported nothing). */
  error: string;
}

/** How a connection writes to the wire; implemented per protocol. */
export interface ForwardWire {
  send(data: Buffer): void;
  end(): void;
}

export class ForwardedConnection {
  readonly done: Promise<ForwardResult>;
  private readonly chunks = { data: [] as Buffer[], error: [] as Buffer[] };
  private settled = false;
  /** Checks of until() callers still waiting; each returns true once it has resolved. */
  private watchers: (() => boolean)[] = [];
  private resolveDone!: (r: ForwardResult) => void;
  private rejectDone!: (e: Error) => void;

  constructor(
    readonly label: string,
    private readonly wire: ForwardWire,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined);
  }

  /** Sends to the forwarded port; once the server has ended the connection, data is dropped (as TCP would). */
  write(data: Buffer | string): void {
    if (this.settled) return;
    this.wire.send(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** Half-closes the client's side (SPDY); over WebSocket the channel protocol has no such signal. */
  end(): void {
    if (!this.settled) this.wire.end();
  }

  /**
   * What has arrived, as soon as `complete` holds for the data so far, or once the server ends the
   * connection (rejects as `done` does): for a client that knows when its answer is whole.
   */
  until(complete: (data: Buffer) => boolean): Promise<ForwardResult> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const data = Buffer.concat(this.chunks.data);
        if (!complete(data)) return false;
        resolve({ data, error: this.errorText() });
        return true;
      };
      if (!check()) this.watchers.push(check);
      this.done.then(resolve, reject);
    });
  }

  dataText(): string {
    return Buffer.concat(this.chunks.data).toString('utf8');
  }

  errorText(): string {
    return Buffer.concat(this.chunks.error).toString('utf8');
  }

  /** @internal */ receive(kind: 'data' | 'error', payload: Buffer): void {
    if (this.settled || payload.length === 0) return;
    this.chunks[kind].push(payload);
    if (kind === 'data') this.watchers = this.watchers.filter((check) => !check());
  }

  /** @internal the server finished this connection */ finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveDone({ data: Buffer.concat(this.chunks.data), error: this.errorText() });
  }

  /** @internal */ fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectDone(err);
  }

  /** @internal */ received(): string {
    const size = (s: Buffer[]): number => s.reduce((n, b) => n + b.length, 0);
    return `received data ${size(this.chunks.data)} B, error ${JSON.stringify(this.errorText().slice(0, 200))}`;
  }
}

/** The wire side of a port-forward session. */
export interface PortForwardTransport {
  readonly protocol: string;
  /** Opens a forwarded connection to `port` (resolves once the server accepted its streams). */
  open(port: number): Promise<ForwardedConnection>;
  destroy(): void;
}

export class PortForwardSession {
  readonly deadline: Deadline;
  private transport: PortForwardTransport | undefined;
  private readonly connections: ForwardedConnection[] = [];
  private expired: Error | undefined;

  constructor(
    readonly label: string,
    timeoutMs: number,
  ) {
    this.deadline = new Deadline(timeoutMs, () => {
      this.expired = new StreamingError(`${label}: no end within ${seconds(timeoutMs)}`);
      for (const c of this.connections)
        c.fail(new StreamingError(`${c.label}: no end within ${seconds(timeoutMs)} (${c.received()})`));
      this.transport?.destroy();
    });
  }

  get protocol(): string {
    return this.transport?.protocol ?? '';
  }

  attach(transport: PortForwardTransport): void {
    this.transport = transport;
    if (this.expired) transport.destroy();
  }

  /** A new forwarded connection to `port`, under the session's deadline. */
  async connect(port: number): Promise<ForwardedConnection> {
    if (!this.transport || this.expired)
      throw this.expired ?? new StreamingError(`${this.label}: the session is not open`);
    const connection = await this.transport.open(port);
    this.connections.push(connection);
    return connection;
  }

  close(): void {
    this.deadline.clear();
    for (const c of this.connections)
      c.fail(new StreamingError(`${c.label}: session closed by the client (${c.received()})`));
    this.transport?.destroy();
  }
}
