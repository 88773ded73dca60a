// Parameters of `cri-conformance benchmark`: defaults < params file (YAML) < flags, plus the
// runtime selection shared with the main command (flags > environment > --config file).
// Everything is validated before the first RPC; a bad value is a UsageError (one line, exit 2).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DurationError, parseDuration } from '../common/duration.js';
import {
  DEFAULT_CONFIG_FILE,
  readConfigFile,
  readYamlMapping,
  UsageError,
  validateEndpoints,
  type FileConfig,
} from '../common/config-file.js';

/** Every measured operation, by the group (phase sequence) that measures it. */
export const OPERATION_GROUPS = {
  pod: ['RunPodSandbox', 'PodSandboxStatus', 'StopPodSandbox', 'RemovePodSandbox'],
  container: ['CreateContainer', 'StartContainer', 'ContainerStatus', 'StopContainer', 'RemoveContainer'],
  'pod+container': ['RunPodWithContainer'],
  exec: ['ExecSync'],
  image: ['PullImage', 'ImageStatus', 'ListImages', 'RemoveImage'],
  'list-scaling': ['ListPodSandbox', 'ListContainers'],
} as const;

export type OperationGroup = keyof typeof OPERATION_GROUPS;
export type OperationName = (typeof OPERATION_GROUPS)[OperationGroup][number];
export const OPERATIONS: readonly OperationName[] = Object.values(OPERATION_GROUPS).flat();

export interface BenchmarkParams {
  /** Timed samples per operation (and per list size). */
  iterations: number;
  /** Samples in flight at once. */
  concurrency: number;
  /** Object counts at which ListPodSandbox / ListContainers are timed; empty: no list scaling. */
  listSizes: number[];
  /** The operations to measure (default all). */
  operations: OperationName[];
  /** Deadline of one sample, ms: a sample that takes longer fails with a message. */
  opTimeoutMs: number;
  /** Image for the PullImage phase; default: images the benchmark pushes to the test-image registry. */
  pullImage?: string;
  /** Size of the one layer of the generated pull images, KiB. */
  pullLayerKib: number;
}

export interface BenchmarkOptions {
  params: BenchmarkParams;
  runtimeEndpoint?: string;
  imageEndpoint?: string;
  runtimeHandler: string;
  reportDir: string;
  testImagesFile?: string;
  compareFile?: string;
  paramsFile?: string;
  help: boolean;
}

export const DEFAULT_PARAMS: BenchmarkParams = {
  iterations: 20,
  concurrency: 1,
  listSizes: [10, 100, 500],
  operations: [...OPERATIONS],
  opTimeoutMs: 60_000,
  pullLayerKib: 1024,
};

const LIMITS = { iterations: 100_000, concurrency: 64, listSize: 10_000, pullLayerKib: 1024 * 1024 };

const FLAGS = {
  'runtime-endpoint': { type: 'string', short: 'r' },
  'image-endpoint': { type: 'string', short: 'i' },
  config: { type: 'string', short: 'c' },
  'runtime-handler': { type: 'string' },
  'test-images-file': { type: 'string' },
  'report-dir': { type: 'string' },
  params: { type: 'string' },
  iterations: { type: 'string' },
  concurrency: { type: 'string' },
  'list-sizes': { type: 'string' },
  operations: { type: 'string', multiple: true },
  'op-timeout': { type: 'string' },
  'pull-image': { type: 'string' },
  'pull-layer-kib': { type: 'string' },
  compare: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Keys of a params file: the flags that shape the measurement. */
const PARAM_KEYS = new Set([
  'iterations',
  'concurrency',
  'list-sizes',
  'operations',
  'op-timeout',
  'pull-image',
  'pull-layer-kib',
  'report-dir',
]);

function wholeNumber(value: unknown, what: string, min: number, max: number): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^-?\d+$/.test(text))
    throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(value)}`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${what} must be from ${min} to ${max}, got ${n}`);
  return n;
}

function listOf(value: unknown, what: string): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.map((v) => String(v).trim());
  throw new UsageError(`${what} must be a list or a comma-separated string, got ${JSON.stringify(value)}`);
}

export function parseListSizes(value: unknown, what = 'list-sizes'): number[] {
  const sizes = listOf(value, what).map((s) => wholeNumber(s, `${what} entry`, 1, LIMITS.listSize));
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function parseOperations(value: unknown, what = 'operations'): OperationName[] {
  const names = listOf(value, what);
  if (names.length === 0) throw new UsageError(`${what} names no operation (known: ${OPERATIONS.join(', ')})`);
  for (const n of names) {
    if (!(OPERATIONS as readonly string[]).includes(n))
      throw new UsageError(`${what}: unknown operation "${n}" (known: ${OPERATIONS.join(', ')})`);
  }
  return OPERATIONS.filter((o) => names.includes(o));
}

function opTimeout(value: unknown, what: string): number {
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new UsageError(`${what} must be a duration such as 30s, got ${JSON.stringify(value)}`);
  try {
    const ms = parseDuration(String(value));
    if (ms <= 0) throw new UsageError(`${what} must be greater than zero`);
    return ms;
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`${what}: ${err.message}`);
    throw err;
  }
}

/** Reads a params file: a YAML mapping of PARAM_KEYS. */
export function readParamsFile(path: string): Record<string, unknown> {
  return readYamlMapping(path, 'params file', PARAM_KEYS, true);
}

/** Applies params-file values, then flag values, over the defaults. */
function mergeParams(file: Record<string, unknown>, fileName: string, flags: Record<string, unknown>): BenchmarkParams {
  const p: BenchmarkParams = {
    ...DEFAULT_PARAMS,
    operations: [...DEFAULT_PARAMS.operations],
    listSizes: [...DEFAULT_PARAMS.listSizes],
  };
  const layers: [Record<string, unknown>, (key: string) => string][] = [
    [file, (key) => `${fileName}: ${key}`],
    [flags, (key) => `--${key}`],
  ];
  for (const [values, what] of layers) {
    const has = (key: string): boolean => values[key] !== undefined && values[key] !== null;
    if (has('iterations')) p.iterations = wholeNumber(values.iterations, what('iterations'), 1, LIMITS.iterations);
    if (has('concurrency')) p.concurrency = wholeNumber(values.concurrency, what('concurrency'), 1, LIMITS.concurrency);
    if (has('list-sizes')) p.listSizes = parseListSizes(values['list-sizes'], what('list-sizes'));
    if (has('operations')) p.operations = parseOperations(values.operations, what('operations'));
    if (has('op-timeout')) p.opTimeoutMs = opTimeout(values['op-timeout'], what('op-timeout'));
    if (has('pull-layer-kib'))
      p.pullLayerKib = wholeNumber(values['pull-layer-kib'], what('pull-layer-kib'), 1, LIMITS.pullLayerKib);
    if (has('pull-image')) {
      const ref = values['pull-image'];
      if (typeof ref !== 'string' || ref.trim() === '')
        throw new UsageError(`${what('pull-image')} must be an image reference`);
      p.pullImage = ref.trim();
    }
  }
  return p;
}

/** `--iterations -3` → `--iterations=-3`, so that a negative number is judged as a value, not a flag. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : undefined;
    const def = name ? (FLAGS as Record<string, { type: string }>)[name] : undefined;
    if (def?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i += 1;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

export function parseBenchmarkArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchmarkOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const flag = /'(-[^']*)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag)
      throw new UsageError(`benchmark: unknown flag ${flag} (see benchmark --help)`);
    throw new UsageError(`benchmark: ${e.message.split('\n')[0]}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0)
    throw new UsageError(`benchmark: unexpected argument "${positionals[0]}" (see benchmark --help)`);
  if (values.help) return { params: DEFAULT_PARAMS, runtimeHandler: '', reportDir: '', help: true };

  const configFile = values.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const config: FileConfig = configFile ? readConfigFile(configFile) : {};
  const fromConfig = (key: string): string | undefined =>
    typeof config[key] === 'string' && config[key] !== '' ? config[key] : undefined;

  const paramsFile = values.params;
  const file = paramsFile ? readParamsFile(paramsFile) : {};
  const params = mergeParams(file, paramsFile ?? '', {
    iterations: values.iterations,
    concurrency: values.concurrency,
    'list-sizes': values['list-sizes'],
    operations: values.operations?.join(','),
    'op-timeout': values['op-timeout'],
    'pull-image': values['pull-image'],
    'pull-layer-kib': values['pull-layer-kib'],
  });

  const runtimeEndpoint =
    values['runtime-endpoint'] || env.CONTAINER_RUNTIME_ENDPOINT || fromConfig('runtime-endpoint');
  const imageEndpoint = values['image-endpoint'] || env.IMAGE_SERVICE_ENDPOINT || fromConfig('image-endpoint');
  validateEndpoints(runtimeEndpoint, imageEndpoint);
  const fileReportDir = typeof file['report-dir'] === 'string' ? file['report-dir'] : undefined;
  return {
    params,
    runtimeEndpoint,
    imageEndpoint,
    runtimeHandler: values['runtime-handler'] ?? fromConfig('runtime-handler') ?? '',
    reportDir: values['report-dir'] ?? fileReportDir ?? `${fromConfig('report-dir') ?? 'reports'}/benchmark`,
    testImagesFile: values['test-images-file'] ?? fromConfig('test-images-file'),
    compareFile: values.compare,
    paramsFile,
    help: false,
  };
}

export const BENCHMARK_HELP = `cri-conformance benchmark — latency and throughput of a CRI runtime's operations

Usage: cri-conformance benchmark [flags]

Runtime (as for the main command):
  -r, --runtime-endpoint EP   CRI runtime endpoint (env CONTAINER_RUNTIME_ENDPOINT); without one, the
                              well-known sockets are tried, then the local test bed is started
  -i, --image-endpoint EP     image service endpoint (env IMAGE_SERVICE_ENDPOINT; default: runtime endpoint)
  -c, --config FILE           crictl-style YAML config (default /etc/crictl.yaml when it exists)
      --runtime-handler NAME  runtime handler of every pod the benchmark runs
      --test-images-file FILE test-image catalogue overrides (busybox, registry of the pull images)

Measurement (flags override the params file):
      --params FILE           YAML params file with the keys below (e.g. "iterations: 50")
      --iterations N          timed samples per operation and per list size (default ${DEFAULT_PARAMS.iterations})
      --concurrency N         samples in flight at once, 1..64 (default ${DEFAULT_PARAMS.concurrency})
      --list-sizes A,B,…      object counts at which ListPodSandbox/ListContainers are timed
                              (default ${DEFAULT_PARAMS.listSizes.join(',')})
      --operations A,B,…      measure only these operations (repeatable); known:
                              ${OPERATIONS.join(', ')}
      --op-timeout DURATION   deadline of one sample, e.g. 30s (default 60s); a late sample fails
                              with a message, the run goes on
      --pull-image REF        image for PullImage/ImageStatus/ListImages/RemoveImage (default: images
                              the benchmark generates and pushes to the test-image registry)
      --pull-layer-kib N      layer size of the generated pull images, KiB (default ${DEFAULT_PARAMS.pullLayerKib})

Output:
      --report-dir DIR        where benchmark.json, benchmark.md, benchmark.svg and report.html go
                              (default reports/benchmark)
      --compare OLD.json      print the change of p50/p90 per operation against an earlier benchmark.json
  -h, --help                  print this help and exit

Exit codes: 0 finished (failed samples are reported in the files), 2 usage error, 3 runtime
unreachable, 130 interrupted (partial files written, everything created removed).
`;
