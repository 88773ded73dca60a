// run/: what a test process knows about the run it belongs to. The frozen RunContext (endpoint,
// handler, timeouts, image catalogue, run directory), the process's one CRI connection (cri()),
// the names and labels of everything the run creates, the side files each process hands to the
// CLI (run-events), images shared across tests, harness work running in the background, and the
// sweep that removes what a run left. It knows nothing of tests; everything else builds on it.
//
// The run's frozen settings. The CLI validates them and passes them to every mocha process
// (parallel workers too) through one environment variable; specs read them inside hooks and
// tests, never at import time.
import type { Timeouts } from '../../client/timeouts.js';
import type { ImageCatalogue } from './images.js';
import type { StreamingProtocol } from '../../streaming/session.js';

export interface RunContext {
  runId: string;
  runtimeEndpoint: string;
  imageEndpoint: string;
  runtimeHandler: string;
  timeouts: Timeouts;
  images: ImageCatalogue;
  /** The protocols the streaming specs run over (`--streaming-protocol`); absent means both. */
  streamingProtocols?: StreamingProtocol[];
  /** Directory for per-process side files (call log, cleanup failures, skip reasons). */
  runDir: string;
  /** Features `--require` made required (optional RPCs, feature gates, reported fields); default none. */
  requiredFeatures?: readonly string[];
  /** The cgroup driver the pods' cgroup_parent is written for (RuntimeConfig's, else cgroupfs); absent means cgroupfs. */
  cgroupDriver?: CgroupDriver;
}

export type CgroupDriver = 'CGROUPFS' | 'SYSTEMD';

export const CONTEXT_ENV = 'CRI_CONFORMANCE_CONTEXT';
export const RUN_LABEL = 'io.cri-conformance.run';
/** Label of the pods that useWorkerPod runs; the CLI removes them after each mocha phase. */
export const WORKER_POD_LABEL = 'io.cri-conformance.worker-pod';

let cached: RunContext | undefined;

export function ctx(): RunContext {
  if (!cached) {
    const raw = process.env[CONTEXT_ENV];
    if (!raw) throw new Error(`${CONTEXT_ENV} is not set: specs run under the cri-conformance CLI`);
    cached = Object.freeze(JSON.parse(raw) as RunContext);
  }
  return cached;
}

/** For the harness's own tests and the CLI: install a context in this process. */
export function setContext(context: RunContext): void {
  cached = Object.freeze({ ...context });
  process.env[CONTEXT_ENV] = JSON.stringify(context);
}
