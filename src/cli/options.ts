// Command-line flags, environment and config file, merged with the precedence
// flags > environment > config file > defaults, and validated before the first RPC.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, readConfigFile, UsageError, validateEndpoints } from '../common/config-file.js';
import { parseDuration, DurationError } from '../common/duration.js';
import { deselectedProtocols, parseStreamingProtocol } from '../streaming/protocol-choice.js';
import type { StreamingProtocol } from '../streaming/session.js';
import { UnknownFeatureError, validateRequired } from '../framework/verdicts/features.js';

export interface CliOptions {
  runtimeEndpoint?: string;
  imageEndpoint?: string;
  /** Where the endpoint came from, for the start-up message. */
  endpointSource?: 'flag' | 'env' | 'config';
  focus: RegExp[];
  skip: RegExp[];
  list: boolean;
  /** `--list-ids`: print `<id>\t<full title>` of each selected test that has a stable id. */
  listIds: boolean;
  parallel: number;
  timeoutMs: number;
  reportDir: string;
  runtimeHandler: string;
  testImagesFile?: string;
  /** `--streaming-protocol`: the protocols the streaming specs run over (default both). */
  streamingProtocols: StreamingProtocol[];
  knownFailuresFile?: string;
  /** Optional features (RPC, feature gate or reported field) that must be implemented. */
  require: string[];
  configFile?: string;
  version: boolean;
  help: boolean;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** The most worker processes `--parallel` takes. */
export const MAX_PARALLEL = 64;

/**
 * One worker per core and one more: a worker spends part of each test waiting on the runtime
 * (process exits, grace periods, timeouts the test must wait out), so with one per core the
 * cores idle meanwhile (docs/measurements.md, "One worker more than cores").
 */
export function defaultParallelism(): number {
  return Math.max(1, Math.min(availableParallelism() + 1, MAX_PARALLEL));
}

const FLAGS = {
  'runtime-endpoint': { type: 'string', short: 'r' },
  'image-endpoint': { type: 'string', short: 'i' },
  focus: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  list: { type: 'boolean' },
  'list-ids': { type: 'boolean' },
  parallel: { type: 'string' },
  timeout: { type: 'string' },
  'report-dir': { type: 'string' },
  'runtime-handler': { type: 'string' },
  'test-images-file': { type: 'string' },
  'streaming-protocol': { type: 'string' },
  'known-failures': { type: 'string' },
  require: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function compile(pattern: string, flag: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (err) {
    throw new UsageError(
      `--${flag} ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`,
    );
  }
}

function strings(value: unknown, key: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new UsageError(`config key "${key}" must be a string or a list of strings`);
}

function str(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && key === 'timeout') return String(value);
  throw new UsageError(`config key "${key}" must be a string`);
}

/** The flags and positionals of `argv`; an unknown flag or a stray argument is a UsageError. */
function parseFlags(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const flag = /'(-[^']*)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) throw new UsageError(`unknown flag ${flag} (see --help)`);
    throw new UsageError(e.message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (see --help)`);
  return values;
}

/** `--timeout` as ms: the default when absent; a malformed or non-positive duration is a UsageError. */
function timeoutFrom(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--timeout: ${err.message}`);
    throw err;
  }
  if (timeoutMs <= 0) throw new UsageError('--timeout must be greater than zero');
  return timeoutMs;
}

/** `--parallel` as a number of workers: defaultParallelism() when absent, 1 to MAX_PARALLEL when given. */
function parallelFrom(text: string | undefined): number {
  if (text === undefined) return defaultParallelism();
  if (!/^\d+$/.test(String(text)) || Number(text) < 1 || Number(text) > MAX_PARALLEL) {
    throw new UsageError(`--parallel must be a whole number from 1 to ${MAX_PARALLEL}, got "${text}"`);
  }
  return Number(text);
}

/** `--streaming-protocol` as the protocols chosen (default both). */
function streamingFrom(text: string): StreamingProtocol[] {
  const protocols = parseStreamingProtocol(text);
  if (!protocols) throw new UsageError(`--streaming-protocol must be spdy, websocket or both, got "${text}"`);
  return protocols;
}

/** `--require` names, checked against the optional-feature table. */
function requiredFrom(names: string[]): string[] {
  try {
    return validateRequired(names);
  } catch (err) {
    if (err instanceof UnknownFeatureError) throw new UsageError(`--require: ${err.message}`);
    throw err;
  }
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const values = parseFlags(argv);
  const explicitConfig = values.config;
  const configFile = explicitConfig ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const file = configFile ? readConfigFile(configFile) : {};

  const pick = (
    flag: string | undefined,
    envName: string | undefined,
    key: string,
  ): [string | undefined, CliOptions['endpointSource']] => {
    if (flag) return [flag, 'flag'];
    if (envName && env[envName]) return [env[envName], 'env'];
    const fromFile = str(file[key], key);
    return fromFile ? [fromFile, 'config'] : [undefined, undefined];
  };

  const [runtimeEndpoint, endpointSource] = pick(
    values['runtime-endpoint'],
    'CONTAINER_RUNTIME_ENDPOINT',
    'runtime-endpoint',
  );
  const [imageEndpoint] = pick(values['image-endpoint'], 'IMAGE_SERVICE_ENDPOINT', 'image-endpoint');
  validateEndpoints(runtimeEndpoint, imageEndpoint);
  const timeoutMs = timeoutFrom(pick(values.timeout, undefined, 'timeout')[0]);
  const parallel = parallelFrom(pick(values.parallel, undefined, 'parallel')[0]);

  const focus = (values.focus ?? strings(file.focus, 'focus')).map((p) => compile(p, 'focus'));
  const skip = (values.skip ?? strings(file.skip, 'skip')).map((p) => compile(p, 'skip'));
  const streamingProtocols = streamingFrom(
    pick(values['streaming-protocol'], undefined, 'streaming-protocol')[0] ?? 'both',
  );
  const otherProtocols = deselectedProtocols(streamingProtocols);
  if (otherProtocols) skip.push(otherProtocols);
  const require = requiredFrom(values.require ?? strings(file.require, 'require'));

  return {
    runtimeEndpoint,
    imageEndpoint,
    endpointSource,
    focus,
    skip,
    list: values.list ?? false,
    listIds: values['list-ids'] ?? false,
    parallel,
    timeoutMs,
    reportDir: pick(values['report-dir'], undefined, 'report-dir')[0] ?? 'reports',
    runtimeHandler: pick(values['runtime-handler'], undefined, 'runtime-handler')[0] ?? '',
    testImagesFile: pick(values['test-images-file'], undefined, 'test-images-file')[0],
    streamingProtocols,
    knownFailuresFile: pick(values['known-failures'], undefined, 'known-failures')[0],
    require,
    configFile,
    version: values.version ?? false,
    help: values.help ?? false,
  };
}

/**
 * One regular expression for mocha's grep that keeps a test whose full title matches any focus
 * pattern (or all, without --focus) and none of the skip patterns.
 */
export function selectionRegExp(focus: RegExp[], skip: RegExp[], mustMatch?: RegExp): RegExp | undefined {
  if (focus.length === 0 && skip.length === 0 && !mustMatch) return undefined;
  const skipPart = skip.length > 0 ? `(?!.*(?:${skip.map((r) => r.source).join('|')}))` : '';
  const focusPart = focus.length > 0 ? `(?=.*(?:${focus.map((r) => r.source).join('|')}))` : '';
  const mustPart = mustMatch ? `(?=.*(?:${mustMatch.source}))` : '';
  return new RegExp(`^${skipPart}${focusPart}${mustPart}`, 's');
}

/** Tests whose title carries this tag run alone, after the parallel phase. */
export const SERIAL_TAG = /\[serial\]/;

export const HELP = `cri-conformance — conformance tests for a Kubernetes CRI runtime

Usage: cri-conformance [flags]
       cri-conformance compare OLD/results.json NEW/results.json
       cri-conformance cleanup [--run ID] [flags]  (remove what runs left; see cleanup --help)
       cri-conformance benchmark [flags]        (latency of CRI operations; see benchmark --help)

Flags:
  -r, --runtime-endpoint EP   CRI runtime endpoint: unix:///path, /path, tcp://host:port or host:port
                              (env CONTAINER_RUNTIME_ENDPOINT). Without one, the well-known sockets of
                              containerd, CRI-O and cri-dockerd are tried, then the local test bed is started.
  -i, --image-endpoint EP     image service endpoint (env IMAGE_SERVICE_ENDPOINT; default: runtime endpoint)
      --focus REGEX           run only tests whose full title matches (repeatable)
      --skip REGEX            do not run tests whose full title matches (repeatable)
      --list                  print every selected test title and exit (no runtime needed)
      --list-ids              print "<id><TAB><title>" of each selected test with a stable id, and exit
      --parallel N            run spec files in N worker processes (default: cores + 1);
                              tests tagged [serial] run alone after the others
      --timeout DURATION      default deadline of each CRI call, e.g. 30s, 2m (default 60s)
      --report-dir DIR        where reports are written (default reports/)
      --runtime-handler NAME  runtime handler for every pod the suite runs (default: the runtime's default)
      --test-images-file FILE YAML/JSON file overriding the test image catalogue
      --streaming-protocol P  spdy, websocket or both (default): the protocols Exec/Attach/PortForward
                              streams are tested over; with both, every streaming test runs once per protocol
      --known-failures FILE   YAML list of {test, reason} expected to fail on this runtime: the run exits 0
                              when only listed tests fail, 1 on a new failure or a listed test that passes
      --require FEATURE       make an optional feature required (repeatable): an optional RPC, a
                              Kubernetes feature gate (e.g. CRIListStreaming) or a reported field;
                              UNIMPLEMENTED then fails instead of being reported unsupported
  -c, --config FILE           YAML config (crictl keys runtime-endpoint, image-endpoint, timeout are
                              understood; default /etc/crictl.yaml when it exists)
      --version               print the suite version and exit
  -h, --help                  print this help and exit

compare lists tests that regressed, got fixed, appeared or vanished; exit 1 on any regression.

Exit codes: 0 all passed, 1 conformance failures, 2 usage or config error, 3 runtime unreachable,
130 interrupted.
`;
