// Observing a container from inside: run a command with ExecSync as a setup call (the RPC under
// test is whatever the spec checks, not this probe) and get its output as text.
import { cri } from './cri.js';
import { setup } from './scope.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `cmd` in the container and returns its output; `timeoutSeconds` 0 means the runtime's default. */
export async function execIn(containerId: string, cmd: string[], timeoutSeconds = 30): Promise<ExecResult> {
  const res = await setup(
    `ExecSync ${JSON.stringify(cmd.join(' '))}`,
    cri().runtime.ExecSync({ container_id: containerId, cmd, timeout: timeoutSeconds }, { role: 'setup' }),
  );
  return { stdout: Buffer.from(res.stdout).toString('utf8'), stderr: Buffer.from(res.stderr).toString('utf8'), exitCode: res.exit_code };
}

/** `sh -c script` in the container. */
export function shellIn(containerId: string, script: string, timeoutSeconds = 30): Promise<ExecResult> {
  return execIn(containerId, ['sh', '-c', script], timeoutSeconds);
}
