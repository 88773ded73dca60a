// Errors raised by CRI calls, named the way reports and assertions print them:
//   StartContainer → NOT_FOUND (5): "container 3f2a… not found" [request: container_id=3f2a…]
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';

const STATUS_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(GrpcStatus)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** `5` → `NOT_FOUND`; unknown numbers print as `CODE_<n>`. */
export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? `CODE_${code}`;
}

export type StatusName = keyof typeof GrpcStatus;

export class CriCallError extends Error {
  override name = 'CriCallError';
  constructor(
    readonly rpc: string,
    readonly code: GrpcStatus,
    readonly details: string,
    readonly requestSummary: string,
    /** Whether the failed call was the call under test (see roleOf in call.ts), not a fixture's. */
    readonly role: 'under-test' | 'setup' = 'setup',
  ) {
    super(formatCallError(rpc, code, details, requestSummary));
  }

  get codeName(): string {
    return statusName(this.code);
  }

  static fromServiceError(
    rpc: string,
    err: ServiceError,
    requestSummary: string,
    role: 'under-test' | 'setup' = 'under-test',
  ): CriCallError {
    return new CriCallError(rpc, err.code ?? GrpcStatus.UNKNOWN, err.details ?? err.message, requestSummary, role);
  }
}

export function formatCallError(rpc: string, code: number, details: string, requestSummary: string): string {
  const req = requestSummary ? ` [request: ${requestSummary}]` : '';
  return `${rpc} → ${statusName(code)} (${code}): ${JSON.stringify(details)}${req}`;
}

export function isCode(err: unknown, name: StatusName): boolean {
  return err instanceof CriCallError && err.code === GrpcStatus[name];
}

/** A fixture call (not the behaviour under test) failed: a harness error, not a conformance failure. */
export class SetupError extends Error {
  override name = 'SetupError';
  constructor(what: string, cause: unknown) {
    super(`precondition ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * An error status from a runtime that answered: its verdict, not a transient state (for
 * `eventually`'s stopOn while polling stats, and for cleanup fallbacks). UNAVAILABLE and
 * DEADLINE_EXCEEDED mean the runtime did not answer in time.
 */
export function isRuntimeAnswer(err: unknown): boolean {
  return (
    err instanceof CriCallError && err.code !== GrpcStatus.UNAVAILABLE && err.code !== GrpcStatus.DEADLINE_EXCEEDED
  );
}
