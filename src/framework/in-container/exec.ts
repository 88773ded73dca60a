// Inside a container: what the suite runs in a container and reads from it, to see what the
// runtime made. Commands run with ExecSync as a setup call (the RPC under test is whatever the spec
// checks, not this probe) and their output comes back as text. This folder also reads what a
// container's processes see (/proc, cgroups), its log file, its ready marker, and holds the
// streaming sessions (exec, attach, port-forward) specs open on the URLs the runtime returns.
//
// Ways to run a shell command here, by what the test needs back:
//   shellIn(id, script)        the result, whatever the exit code (the test judges it)
//   outputOf(id, script)       stdout; fails the test unless the command exits 0
//   shellParts(id, {a, b})     several scripts in one ExecSync, each part's stdout and exit code
//   outputsOf(id, {a, b})      several scripts in one ExecSync, each stdout; fails unless all exit 0
import { AssertionError } from 'chai';
import { cri } from '../run/cri.js';
import { setup } from '../fixtures/scope.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `cmd` in the container and returns its output; `timeoutSeconds` 0 means the runtime's default. */
async function execIn(containerId: string, cmd: string[], timeoutSeconds = 30): Promise<ExecResult> {
  const res = await setup(
    `ExecSync ${JSON.stringify(cmd.join(' '))}`,
    cri().runtime.ExecSync({ container_id: containerId, cmd, timeout: timeoutSeconds }, { role: 'setup' }),
  );
  return {
    stdout: Buffer.from(res.stdout).toString('utf8'),
    stderr: Buffer.from(res.stderr).toString('utf8'),
    exitCode: res.exit_code,
  };
}

/** `sh -c script` in the container. */
export function shellIn(containerId: string, script: string, timeoutSeconds = 30): Promise<ExecResult> {
  return execIn(containerId, ['sh', '-c', script], timeoutSeconds);
}

/** What one part of a `shellParts` script printed on stdout, and its exit status. */
export interface PartResult {
  stdout: string;
  exitCode: number;
}

export interface PartsResult<K extends string> {
  parts: Record<K, PartResult>;
  /** The stderr of every part together, in the order they ran. */
  stderr: string;
}

const PART_MARK = '--crit-part--';

/**
 * One `sh -c` script that runs each part in a subshell of its own, in order, and prints each part's
 * stdout between marker lines with its exit status: several reads of one container in one ExecSync.
 */
export function partsScript(parts: Record<string, string>): string {
  return Object.entries(parts)
    .map(
      ([name, script]) =>
        `printf '%s\\n' '${PART_MARK} ${name}'\n( ${script}\n)\nprintf '\\n%s %d\\n' '${PART_MARK} ${name} exit' $?`,
    )
    .join('\n');
}

/** Splits what `partsScript(parts)` printed back into the parts; throws when a part's output is missing. */
export function parseParts<K extends string>(stdout: string, names: readonly K[]): Record<K, PartResult> {
  const parts = {} as Record<K, PartResult>;
  let from = 0;
  for (const name of names) {
    const begin = `${PART_MARK} ${name}\n`;
    const start = stdout.indexOf(begin, from);
    const end = new RegExp(`\\n${PART_MARK} ${name} exit (\\d+)\\n`, 'g');
    end.lastIndex = start + begin.length;
    const found = start < 0 ? null : end.exec(stdout);
    if (!found)
      throw new Error(
        `the output of part ${JSON.stringify(name)} is missing from the probe's stdout: ${JSON.stringify(stdout.slice(from, from + 500))}`,
      );
    parts[name] = { stdout: stdout.slice(start + begin.length, found.index), exitCode: Number(found[1]) };
    from = end.lastIndex;
  }
  return parts;
}

/**
 * Runs each script of `parts` in the container, in order, with one ExecSync (a setup probe, like
 * `shellIn`), and returns each one's stdout and exit status. Part names are plain words.
 */
export async function shellParts<K extends string>(
  containerId: string,
  parts: Record<K, string>,
  timeoutSeconds = 30,
): Promise<PartsResult<K>> {
  const res = await shellIn(containerId, partsScript(parts), timeoutSeconds);
  if (res.exitCode !== 0)
    throw new Error(`the probe of ${Object.keys(parts).join(', ')} exited ${res.exitCode}: ${res.stderr}`);
  return { parts: parseParts(res.stdout, Object.keys(parts) as K[]), stderr: res.stderr };
}

/** stdout of `sh -c script` in the container; fails the test when the command exits non-zero. */
export async function outputOf(containerId: string, script: string): Promise<string> {
  const res = await shellIn(containerId, script);
  if (res.exitCode !== 0) {
    throw new AssertionError(
      `expected \`${script}\` in container ${containerId.slice(0, 12)} to exit 0, got ${res.exitCode} (stderr: ${res.stderr.trim()})`,
    );
  }
  return res.stdout;
}

/**
 * stdout of several read-only scripts run one after another in one ExecSync (one exec costs the
 * runtime more than the reads), each exact, keyed like `scripts`; fails the test when any exits
 * non-zero.
 */
export async function outputsOf<K extends string>(
  containerId: string,
  scripts: Record<K, string>,
): Promise<Record<K, string>> {
  const { parts, stderr } = await shellParts(containerId, scripts);
  const outputs = {} as Record<K, string>;
  for (const key of Object.keys(scripts) as K[]) {
    const { stdout, exitCode } = parts[key];
    if (exitCode !== 0) {
      throw new AssertionError(
        `expected \`${scripts[key]}\` in container ${containerId.slice(0, 12)} to exit 0, got ${exitCode} (stderr of the probe: ${stderr.trim()})`,
      );
    }
    outputs[key] = stdout;
  }
  return outputs;
}
