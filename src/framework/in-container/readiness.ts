// A container script that must finish some setup before the test acts (install a signal trap,
// open a file) touches a marker file; the test polls for it instead of sleeping.
import { shellIn } from './exec.js';
import { eventually } from '../verdicts/wait.js';

/** Shell snippet a container script runs once it is ready: creates `path`. */
export const signalReady = (path = '/tmp/crit-ready'): string => `touch ${path}`;

/** Polls (ExecSync `test -e`) until the container has created `path`. */
export async function waitForReadyMarker(
  containerId: string,
  path = '/tmp/crit-ready',
  timeout = 30_000,
): Promise<void> {
  await eventually(
    `container ${containerId.slice(0, 12)} to create its ready marker ${path}`,
    () => shellIn(containerId, `test -e ${path}`, 10),
    (r) => r.exitCode === 0,
    { timeout },
  );
}
