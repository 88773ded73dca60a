// Observing a container from inside with a shell command that must succeed.
import { AssertionError } from 'chai';
import { shellIn } from './exec.js';

/** stdout of `sh -c script` in the container; fails the test when the command exits non-zero. */
export async function outputOf(containerId: string, script: string): Promise<string> {
  const res = await shellIn(containerId, script);
  if (res.exitCode !== 0) {
    throw new AssertionError(`expected \`${script}\` in container ${containerId.slice(0, 12)} to exit 0, got ${res.exitCode} (stderr: ${res.stderr.trim()})`);
  }
  return res.stdout;
}

/**
 * stdout of several read-only scripts run one after another in one ExecSync (one exec costs the
 * runtime more than the reads), each exact, keyed like `scripts`; fails the test when any exits
 * non-zero. The outputs are split on NUL bytes, so a script must not print NUL itself.
 */
export async function outputsOf<K extends string>(containerId: string, scripts: Record<K, string>): Promise<Record<K, string>> {
  const keys = Object.keys(scripts) as K[];
  const script = keys.map((k) => `{ ${scripts[k]}\n}`).join(" && printf '\\0' && ");
  const parts = (await outputOf(containerId, script)).split('\0');
  if (parts.length !== keys.length) {
    throw new AssertionError(`expected ${keys.length} NUL-separated outputs of \`${script}\` in container ${containerId.slice(0, 12)}, got ${parts.length}`);
  }
  return Object.fromEntries(keys.map((k, i) => [k, parts[i]])) as Record<K, string>;
}
