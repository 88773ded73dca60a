// The exit status a streaming server reports on the error channel/stream. v4 and later send a
// JSON metav1.Status; older protocols send plain text, and nothing at all on success.

export interface ExitStatus {
  /** True for `"status":"Success"`. */
  success: boolean;
  /** 0 on success; the code of a NonZeroExitCode failure; undefined when the server gave none. */
  exitCode: number | undefined;
  /** The server's message or the raw text, for error messages. */
  message: string;
}

interface StatusJson {
  status?: unknown;
  message?: unknown;
  reason?: unknown;
  details?: { causes?: { reason?: unknown; message?: unknown }[] };
}

/** Parses what arrived on the error channel; empty input means no status was sent. */
export function parseExitStatus(raw: Buffer | string): ExitStatus | undefined {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
  if (text.trim() === '') return undefined;
  let json: StatusJson;
  try {
    json = JSON.parse(text) as StatusJson;
  } catch {
    return { success: false, exitCode: undefined, message: text };
  }
  if (json === null || typeof json !== 'object') return { success: false, exitCode: undefined, message: text };
  if (json.status === 'Success') return { success: true, exitCode: 0, message: '' };
  const message = typeof json.message === 'string' ? json.message : text;
  if (json.reason === 'NonZeroExitCode') {
    const cause = json.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = typeof cause?.message === 'string' && /^\d+$/.test(cause.message) ? Number(cause.message) : undefined;
    return { success: false, exitCode: code, message };
  }
  return { success: false, exitCode: undefined, message };
}

/** One line for error messages: `exit 0`, `exit 3`, `failure "…"`, `none`. */
export function describeStatus(status: ExitStatus | undefined): string {
  if (!status) return 'none';
  if (status.exitCode !== undefined) return `exit ${status.exitCode}`;
  return `failure ${JSON.stringify(status.message.slice(0, 200))}`;
}
