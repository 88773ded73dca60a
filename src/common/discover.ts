// Finding a runtime when no endpoint is given: the well-known sockets first, in crictl's order,
// then the project's own local test bed (scripts/testbed.sh), brought up for this run.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect, waitForReady } from '../client/cri-client.js';

const run = promisify(execFile);

export const WELL_KNOWN_ENDPOINTS: readonly { runtime: string; endpoint: string }[] = [
  { runtime: 'containerd', endpoint: 'unix:///run/containerd/containerd.sock' },
  { runtime: 'CRI-O', endpoint: 'unix:///run/crio/crio.sock' },
  { runtime: 'cri-dockerd', endpoint: 'unix:///var/run/cri-dockerd.sock' },
];

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** The first well-known endpoint whose socket exists and answers, or undefined. */
export async function findWellKnownRuntime(
  candidates = WELL_KNOWN_ENDPOINTS,
): Promise<{ runtime: string; endpoint: string } | undefined> {
  for (const candidate of candidates) {
    if (!isSocket(candidate.endpoint.slice('unix://'.length))) continue;
    const client = connect({ runtimeEndpoint: candidate.endpoint });
    try {
      await waitForReady(client, 2_000);
      return candidate;
    } catch {
      // exists but does not answer: try the next one
    } finally {
      client.close();
    }
  }
  return undefined;
}

export interface Testbed {
  runtimeEndpoint: string;
  imageEndpoint: string;
  /** True when this run started it (and so stops it at the end). */
  startedHere: boolean;
  script: string;
}

export class TestbedError extends Error {
  override name = 'TestbedError';
}

export function testbedScript(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));
  return `${root}/scripts/testbed.sh`;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  }
  return env;
}

/** Brings the local test bed up (idempotent) and returns its endpoints. Needs root. */
export async function startTestbed(): Promise<Testbed> {
  const script = testbedScript();
  if (process.getuid?.() !== 0)
    throw new TestbedError(
      'no runtime endpoint given, no well-known runtime socket answers, and the local test bed needs root',
    );
  const wasUp = await run('bash', [script, 'status']).then(
    () => true,
    () => false,
  );
  try {
    await run('bash', [script, 'up'], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    throw new TestbedError(`could not start the local test bed (${script} up): ${tail || e.message}`);
  }
  const { stdout } = await run('bash', [script, 'env']);
  const env = parseEnv(stdout);
  if (!env.CONTAINER_RUNTIME_ENDPOINT) throw new TestbedError(`${script} env printed no CONTAINER_RUNTIME_ENDPOINT`);
  return {
    runtimeEndpoint: env.CONTAINER_RUNTIME_ENDPOINT,
    imageEndpoint: env.IMAGE_SERVICE_ENDPOINT ?? env.CONTAINER_RUNTIME_ENDPOINT,
    startedHere: !wasUp,
    script,
  };
}

export async function stopTestbed(bed: Testbed): Promise<void> {
  await run('bash', [bed.script, 'down'], { timeout: 5 * 60_000 });
}

export interface ChosenRuntime {
  runtimeEndpoint: string;
  imageEndpoint: string;
  /** Set when no endpoint answered and the local test bed was brought up for this run. */
  testbed?: Testbed;
}

/**
 * The runtime a command talks to: the endpoint given, else the first well-known socket that
 * answers, else the local test bed (brought up here; throws TestbedError when it cannot be).
 */
export async function chooseRuntime(
  runtimeEndpoint: string | undefined,
  imageEndpoint: string | undefined,
  say: (line: string) => void,
): Promise<ChosenRuntime> {
  if (runtimeEndpoint) return { runtimeEndpoint, imageEndpoint: imageEndpoint ?? runtimeEndpoint };
  const found = await findWellKnownRuntime();
  if (found) {
    say(
      `no runtime endpoint given: using ${found.runtime} at ${found.endpoint} (the first well-known socket that answered)`,
    );
    return { runtimeEndpoint: found.endpoint, imageEndpoint: imageEndpoint ?? found.endpoint };
  }
  say(
    'no runtime endpoint given and no well-known runtime socket answers: starting the local test bed (containerd + registry)…',
  );
  const testbed = await startTestbed();
  say(
    `using the local test bed's containerd at ${testbed.runtimeEndpoint}${testbed.startedHere ? ' (started for this run; stopped at the end)' : ' (already running)'}`,
  );
  return { runtimeEndpoint: testbed.runtimeEndpoint, imageEndpoint: imageEndpoint ?? testbed.imageEndpoint, testbed };
}

/** The exit code of a run whose runtime cannot be reached (or test bed not started). */
export const EXIT_UNREACHABLE = 3;

/**
 * Chooses the runtime (chooseRuntime), runs `body` against it, and stops a test bed brought up
 * for it. A test bed that cannot be started is one line and EXIT_UNREACHABLE.
 */
export async function withRuntime(
  runtimeEndpoint: string | undefined,
  imageEndpoint: string | undefined,
  say: (line: string) => void,
  body: (chosen: ChosenRuntime) => Promise<number>,
): Promise<number> {
  let chosen: ChosenRuntime;
  try {
    chosen = await chooseRuntime(runtimeEndpoint, imageEndpoint, say);
  } catch (err) {
    if (err instanceof TestbedError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT_UNREACHABLE;
    }
    throw err;
  }
  try {
    return await body(chosen);
  } finally {
    if (chosen.testbed?.startedHere) {
      say('stopping the local test bed…');
      await stopTestbed(chosen.testbed).catch((err: Error) =>
        say(`warning: stopping the test bed failed: ${err.message}`),
      );
    }
  }
}
