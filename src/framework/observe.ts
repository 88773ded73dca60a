// Observing a container from inside with a shell command that must succeed.
import { AssertionError } from 'chai';
import { shellIn, shellParts } from './exec.js';

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
 * non-zero.
 */
export async function outputsOf<K extends string>(containerId: string, scripts: Record<K, string>): Promise<Record<K, string>> {
  const { parts, stderr } = await shellParts(containerId, scripts);
  const outputs = {} as Record<K, string>;
  for (const key of Object.keys(scripts) as K[]) {
    const { stdout, exitCode } = parts[key];
    if (exitCode !== 0) {
      throw new AssertionError(`expected \`${scripts[key]}\` in container ${containerId.slice(0, 12)} to exit 0, got ${exitCode} (stderr of the probe: ${stderr.trim()})`);
    }
    outputs[key] = stdout;
  }
  return outputs;
}
