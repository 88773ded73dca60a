// benchmark.json: the parameters, the runtime, and per operation the statistics and raw samples;
// the list-scaling points. The other outputs (md, svg, html) and --compare read this model.
import { readFileSync } from 'node:fs';
import { opsPerSecond, summarize, type LatencyStats } from './latency-stats.js';
import type { BenchmarkParams, OperationGroup } from './params.js';
import type { OperationRecord } from './runner.js';
import type { ListPoint } from './list-scaling.js';

export const BENCHMARK_SCHEMA = 'cri-conformance/benchmark/v1';

export interface OperationResult {
  name: string;
  group: OperationGroup;
  concurrency: number;
  /** Statistics of the successful samples, ms; absent when none succeeded. */
  stats?: LatencyStats;
  failures: number;
  failureMessages: string[];
  opsPerSec: number;
  phaseMs: number;
  /** Every successful sample, ms (3 decimals), in the order they finished. */
  samplesMs: number[];
}

export interface ListScalingResult extends OperationResult {
  name: 'ListPodSandbox' | 'ListContainers';
  objects: number;
  listed: number;
}

export interface BenchmarkReport {
  schema: typeof BENCHMARK_SCHEMA;
  runId: string;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  suiteVersion: string;
  runtime: {
    endpoint: string;
    imageEndpoint: string;
    name?: string;
    version?: string;
    apiVersion?: string;
    handler: string;
  };
  host: { os: string; cpus: number; node: string };
  params: Omit<BenchmarkParams, 'opTimeoutMs'> & { opTimeout: string; pullImages: string[] };
  operations: OperationResult[];
  listScaling: ListScalingResult[];
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Every figure of `stats` rounded to three decimals. */
function roundStats(stats: LatencyStats): LatencyStats {
  const entries = Object.entries(stats) as [keyof LatencyStats, number][];
  return Object.fromEntries(entries.map(([k, v]) => [k, round3(v)])) as unknown as LatencyStats;
}

export function operationResult(r: OperationRecord): OperationResult {
  const stats = summarize(r.samplesMs);
  return {
    name: r.name,
    group: r.group,
    concurrency: r.concurrency,
    ...(stats ? { stats: roundStats(stats) } : {}),
    failures: r.failures,
    failureMessages: r.failureMessages,
    opsPerSec: round3(opsPerSecond(r.samplesMs.length, r.phaseMs)),
    phaseMs: round3(r.phaseMs),
    samplesMs: r.samplesMs.map(round3),
  };
}

export function listScalingResult(p: ListPoint): ListScalingResult {
  return { ...operationResult(p.record), name: p.rpc, objects: p.objects, listed: p.listed };
}

/** The key an operation or list point is compared by: `ExecSync`, `ListPodSandbox@100`. */
export function resultKey(r: OperationResult): string {
  return 'objects' in r ? `${r.name}@${(r as ListScalingResult).objects}` : r.name;
}

export class BenchmarkFileError extends Error {
  override name = 'BenchmarkFileError';
}

/** Reads a benchmark.json written by this tool (any version of schema v1). */
export function readBenchmarkJson(path: string): BenchmarkReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new BenchmarkFileError(`cannot read ${path}: ${e.code ?? e.message.split('\n')[0]}`);
  }
  const d = data as Partial<BenchmarkReport> | null;
  if (!d || d.schema !== BENCHMARK_SCHEMA || !Array.isArray(d.operations) || !Array.isArray(d.listScaling)) {
    throw new BenchmarkFileError(`${path} is not a benchmark.json (schema ${BENCHMARK_SCHEMA})`);
  }
  return d as BenchmarkReport;
}
