// What both protocols share: the protocol names, the error type, the deadline, and the exec/attach
// session that collects output and settles exactly once (exit status, early close, or deadline).
import { describeStatus, parseExitStatus, type ExitStatus } from './status.js';

export const STREAMING_PROTOCOLS = ['spdy', 'websocket'] as const;
export type StreamingProtocol = (typeof STREAMING_PROTOCOLS)[number];
export const PROTOCOL_NAMES: Record<StreamingProtocol, string> = { spdy: 'SPDY/3.1', websocket: 'WebSocket' };

/** A streaming session failed: refused upgrade, early close, deadline, protocol violation. */
export class StreamingError extends Error {
  override name = 'StreamingError';
}

/** Calls `onExpire` once after `ms` unless cleared; never keeps the process alive. */
export class Deadline {
  private readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();

  constructor(
    readonly ms: number,
    onExpire: () => void,
  ) {
    this.signal = this.controller.signal;
    this.timer = setTimeout(() => {
      this.controller.abort();
      onExpire();
    }, ms);
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** The whole session, from the upgrade request to the exit status, must end within this. */
  timeoutMs: number;
}

export interface RemoteCommandResult {
  stdout: Buffer;
  stderr: Buffer;
  status: ExitStatus;
  /** The subprotocol the server chose. */
  protocol: string;
}

/** The wire side of a session, implemented per protocol. */
export interface RemoteCommandTransport {
  readonly protocol: string;
  sendStdin(data: Buffer): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

/** How a transport reports to its session. */
export interface RemoteCommandSink {
  /** The upgrade succeeded and the server chose `protocol`. */
  opened(protocol: string): void;
  output(stream: 'stdout' | 'stderr' | 'error', data: Buffer): void;
  /** The server ended the session (connection closed, or every stream finished). */
  ended(): void;
  failed(err: Error): void;
}

/**
 * Protocols before v4 (`channel.k8s.io`, v2, v3) send nothing on success, so a clean end without
 * a status is success with no exit code; v4 and v5 always send a status.
 */
function silentSuccess(protocol: string): ExitStatus | undefined {
  if (/^v[45]\./.test(protocol)) return undefined;
  return {
    success: true,
    exitCode: undefined,
    message: `no exit code: ${protocol || 'the unversioned protocol'} reports none on success`,
  };
}

/** An exec or attach session: write stdin, read output, await the exit status. */
export class RemoteCommandSession implements RemoteCommandSink {
  readonly done: Promise<RemoteCommandResult>;
  private readonly chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[], error: [] as Buffer[] };
  private transport: RemoteCommandTransport | undefined;
  private negotiated = '';
  private settled = false;
  private resolveDone!: (r: RemoteCommandResult) => void;
  private rejectDone!: (e: Error) => void;
  readonly deadline: Deadline;

  constructor(
    readonly label: string,
    timeoutMs: number,
  ) {
    this.done = new Promise<RemoteCommandResult>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined); // callers await it; never an unhandled rejection
    this.deadline = new Deadline(timeoutMs, () => {
      this.failed(new StreamingError(`${this.label}: no end within ${seconds(timeoutMs)} (${this.received()})`));
    });
  }

  /** The subprotocol the server chose. */
  get protocol(): string {
    return this.negotiated;
  }

  opened(protocol: string): void {
    this.negotiated = protocol;
  }

  attach(transport: RemoteCommandTransport): void {
    this.transport = transport;
    if (this.settled) transport.destroy();
  }

  write(data: Buffer | string): void {
    this.live().sendStdin(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  closeStdin(): void {
    this.live().closeStdin();
  }

  resize(width: number, height: number): void {
    this.live().resize(width, height);
  }

  /** Ends the session from this side. */
  close(): void {
    this.failed(new StreamingError(`${this.label}: closed by the client`));
  }

  stdoutText(): string {
    return Buffer.concat(this.chunks.stdout).toString('utf8');
  }

  stderrText(): string {
    return Buffer.concat(this.chunks.stderr).toString('utf8');
  }

  output(stream: 'stdout' | 'stderr' | 'error', data: Buffer): void {
    if (!this.settled && data.length > 0) this.chunks[stream].push(data);
  }

  ended(): void {
    if (this.settled) return;
    const status = parseExitStatus(Buffer.concat(this.chunks.error)) ?? silentSuccess(this.protocol);
    if (!status) {
      this.failed(
        new StreamingError(
          `${this.label}: the server closed the session before an exit status arrived (${this.received()})`,
        ),
      );
      return;
    }
    this.settle();
    this.resolveDone({
      stdout: Buffer.concat(this.chunks.stdout),
      stderr: Buffer.concat(this.chunks.stderr),
      status,
      protocol: this.protocol,
    });
  }

  failed(err: Error): void {
    if (this.settled) return;
    this.settle();
    this.rejectDone(err);
  }

  private settle(): void {
    this.settled = true;
    this.deadline.clear();
    this.transport?.destroy();
  }

  private live(): RemoteCommandTransport {
    if (!this.transport || this.settled) throw new StreamingError(`${this.label}: the session is not open`);
    return this.transport;
  }

  private received(): string {
    const size = (s: Buffer[]): number => s.reduce((n, b) => n + b.length, 0);
    const status = describeStatus(parseExitStatus(Buffer.concat(this.chunks.error)));
    return `received stdout ${size(this.chunks.stdout)} B, stderr ${size(this.chunks.stderr)} B, status ${status}`;
  }
}
