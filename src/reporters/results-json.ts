// results.json: the machine-readable record of a run, read by `cri-conformance compare`.
import { readFileSync, writeFileSync } from 'node:fs';
import { countOutcomes, type Outcome, type RunResults } from './results.js';

export const RESULTS_SCHEMA = 'cri-conformance/results/v1';

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  runId: string;
  startedAt: string;
  finishedAt?: string;
  interrupted: boolean;
  properties: Record<string, string>;
  counts: Record<Outcome, number>;
  tests: {
    file: string;
    fullTitle: string;
    outcome: Outcome;
    durationMs: number;
    message?: string;
    knownFailure?: string;
    /** When the test's body began (ISO 8601) and the process that ran it, when known. */
    startedAt?: string;
    pid?: number;
    /** The RPC of the test's `rpc('X')` describe, when its body ran. */
    rpc?: string;
    /** The test's stable id (the self-test names tests by it), when it has one and its body ran. */
    id?: string;
    /** The request field path the test is about, e.g. `config.linux.security_context.capabilities`. */
    feature?: string;
  }[];
}

export function toResultsFile(results: RunResults): ResultsFile {
  return {
    schema: RESULTS_SCHEMA,
    runId: results.runId,
    startedAt: results.startedAt.toISOString(),
    finishedAt: results.finishedAt?.toISOString(),
    interrupted: results.interrupted,
    properties: results.properties,
    counts: countOutcomes(results.tests),
    tests: results.tests.map((t) => ({
      file: t.file,
      fullTitle: t.fullTitle,
      outcome: t.outcome,
      durationMs: Math.round(t.durationMs),
      message: t.message,
      knownFailure: t.knownFailure,
      startedAt: t.startedAt === undefined ? undefined : new Date(t.startedAt).toISOString(),
      pid: t.pid,
      rpc: t.rpc,
      id: t.id,
      feature: t.feature,
    })),
  };
}

export function writeResultsJson(results: RunResults, path: string): void {
  writeFileSync(path, JSON.stringify(toResultsFile(results), null, 2) + '\n');
}

export class ResultsFileError extends Error {
  override name = 'ResultsFileError';
}

export function readResultsJson(path: string): ResultsFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new ResultsFileError(`cannot read results file ${path}: ${e.code ?? e.message.split('\n')[0]}`);
  }
  const file = data as Partial<ResultsFile>;
  if (file?.schema !== RESULTS_SCHEMA || !Array.isArray(file.tests)) {
    throw new ResultsFileError(`${path} is not a cri-conformance results.json (schema ${RESULTS_SCHEMA})`);
  }
  return file as ResultsFile;
}
