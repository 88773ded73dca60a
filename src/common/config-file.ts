// common/: what the suite's commands share (the conformance run in cli/ and the runtime benchmark
// in benchmark/), so that neither imports the other: the one-line UsageError, the crictl-style
// config file both read, endpoint validation (here), durations, SIGTERM handling, finding a
// runtime when no endpoint is given (discover.ts), one-line messages on stderr (say.ts).
//
// The crictl-style config file and the errors a command line can have.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseEndpoint, EndpointError } from '../client/endpoint.js';

/** A user error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const DEFAULT_CONFIG_FILE = '/etc/crictl.yaml';

/** Keys a config file may hold: crictl's own (some ignored here) and the suite's. */
const CONFIG_KEYS = new Set([
  'runtime-endpoint',
  'image-endpoint',
  'timeout',
  'debug',
  'pull-image-on-create',
  'disable-pull-on-run',
  'focus',
  'skip',
  'parallel',
  'report-dir',
  'runtime-handler',
  'test-images-file',
  'known-failures',
  'require',
  'streaming-protocol',
]);

export type FileConfig = Record<string, unknown>;

/**
 * Reads a YAML file that must hold a mapping of `keys` (`what` names it in messages: "config
 * file", "params file"); every problem is a one-line UsageError.
 */
export function readYamlMapping(path: string, what: string, keys: ReadonlySet<string>, listKnown = false): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${what} ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${what} ${path} must be a YAML mapping`);
  for (const key of Object.keys(data)) {
    if (!keys.has(key))
      throw new UsageError(
        `${what} ${path}: unknown key "${key}"${listKnown ? ` (known: ${[...keys].join(', ')})` : ''}`,
      );
  }
  return data as FileConfig;
}

/** A malformed runtime or image endpoint is a UsageError. */
export function validateEndpoints(runtimeEndpoint: string | undefined, imageEndpoint: string | undefined): void {
  for (const [name, value] of [
    ['runtime', runtimeEndpoint],
    ['image', imageEndpoint],
  ] as const) {
    if (value === undefined) continue;
    try {
      parseEndpoint(value);
    } catch (err) {
      if (err instanceof EndpointError) throw new UsageError(`invalid ${name} endpoint: ${err.message}`);
      throw err;
    }
  }
}

export function readConfigFile(path: string): FileConfig {
  return readYamlMapping(path, 'config file', CONFIG_KEYS);
}
