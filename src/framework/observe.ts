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
