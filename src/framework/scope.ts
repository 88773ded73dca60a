// A per-test tracker: every pod, container and image a test creates is registered the moment
// the create RPC returns, and removed after the test in reverse order, also when it failed.
// Cleanup never throws (a throwing afterEach aborts mocha's whole suite); a failed cleanup is
// recorded and reported as its own failed case.
import type { ContainerConfig } from '../generated/runtime/v1/ContainerConfig.js';
import type { PodSandboxConfig } from '../generated/runtime/v1/PodSandboxConfig.js';
import type { AuthConfig } from '../generated/runtime/v1/AuthConfig.js';
import { beginTestBody, endTestBody, setCurrentTest, testBodyStartedAt } from '../client/call-log.js';
import { CriCallError, SetupError } from '../client/errors.js';
import { ctx } from './context.js';
import { cri, openCri } from './cri.js';
import { appendRunEvent, flushRunFiles } from './run-events.js';
import { containerConfig, type ContainerOpt } from './containers.js';
import { podConfig, type PodOpt } from './pods.js';
import { ensureImage } from './image-cache.js';
import { removePod, tolerateNotFound } from './sweep.js';

export interface Pod {
  id: string;
  config: PodSandboxConfig;
}
export interface Container {
  id: string;
  podId: string;
  config: ContainerConfig;
}

interface Cleanup {
  what: string;
  run: () => Promise<void>;
}

export class Scope {
  private cleanups: Cleanup[] = [];

  /** Runs a pod from `podConfig(slug, ...opts)` (or a given config) and tracks it. */
  async runPod(slugOrConfig: string | PodSandboxConfig, ...opts: PodOpt[]): Promise<Pod> {
    const config = typeof slugOrConfig === 'string' ? podConfig(slugOrConfig, ...opts) : slugOrConfig;
    const handler = ctx().runtimeHandler;
    const res = await setup('RunPodSandbox', cri().runtime.RunPodSandbox({ config, runtime_handler: handler }, { role: 'setup' }));
    this.trackPod(res.pod_sandbox_id);
    return { id: res.pod_sandbox_id, config };
  }

  /** Creates (without starting) a container in `pod` and tracks it; pulls its image if missing. */
  async createContainer(pod: Pod, slugOrConfig: string | ContainerConfig, ...opts: ContainerOpt[]): Promise<Container> {
    const config = typeof slugOrConfig === 'string' ? containerConfig(slugOrConfig, ...opts) : slugOrConfig;
    await setup(`image ${config.image?.image}`, ensureImage(config.image?.image ?? ''));
    const res = await setup(
      'CreateContainer',
      cri().runtime.CreateContainer({ pod_sandbox_id: pod.id, config, sandbox_config: pod.config }, { role: 'setup' }),
    );
    this.trackContainer(res.container_id);
    return { id: res.container_id, podId: pod.id, config };
  }

  /** Creates and starts a container. */
  async runContainer(pod: Pod, slugOrConfig: string | ContainerConfig, ...opts: ContainerOpt[]): Promise<Container> {
    const container = await this.createContainer(pod, slugOrConfig, ...opts);
    await setup('StartContainer', cri().runtime.StartContainer({ container_id: container.id }, { role: 'setup' }));
    return container;
  }

  /** A pod with one running container: the most common fixture. */
  async runPodWithContainer(slug: string, ...opts: ContainerOpt[]): Promise<{ pod: Pod; container: Container }> {
    const pod = await this.runPod(slug);
    const container = await this.runContainer(pod, slug, ...opts);
    return { pod, container };
  }

  /** Removes the pod after the test (removePod: RemovePodSandbox alone, unless the runtime refuses). */
  trackPod(id: string): void {
    this.defer(`pod ${id}`, () => removePod(cri().runtime, id, { role: 'setup' }));
  }

  trackContainer(id: string): void {
    this.defer(`container ${id}`, () => tolerateNotFound(cri().runtime.RemoveContainer({ container_id: id }, { role: 'setup' })));
  }

  /** Tracks an image this test pulled itself, to be removed after the test. */
  trackImage(ref: string): void {
    this.defer(`image ${ref}`, () => tolerateNotFound(cri().image.RemoveImage({ image: { image: ref } }, { role: 'setup' })));
  }

  /** Pulls `ref` as part of the test's own arrangement and tracks it for removal. */
  async pullImage(ref: string, auth?: AuthConfig): Promise<string> {
    const res = await setup('PullImage', cri().image.PullImage({ image: { image: ref }, auth }, { role: 'setup' }));
    this.trackImage(ref);
    return res.image_ref;
  }

  /** Registers any other cleanup; runs after the test, in reverse order of registration. */
  defer(what: string, run: () => Promise<void>): void {
    this.cleanups.push({ what, run });
  }

  /** Runs and forgets every registered cleanup; returns the failures, never throws. */
  async cleanup(): Promise<string[]> {
    const failures: string[] = [];
    const items = this.cleanups.reverse();
    this.cleanups = [];
    for (const item of items) {
      try {
        await item.run();
      } catch (err) {
        failures.push(`cleanup of ${item.what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return failures;
  }
}

/** Runs a fixture call; its failure is a harness/setup error, not the behaviour under test. */
export async function setup<T>(what: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof CriCallError || err instanceof Error) throw new SetupError(what, err);
    throw err;
  }
}

const MARKED = Symbol('cri-conformance.body-marked');
type MarkedFn = Mocha.Func & { [MARKED]?: true };

/**
 * Wraps the test's function so that the call log knows when its body begins and ends: the test's
 * calls made outside it (beforeEach, afterEach) are marked as hook calls (see CallRecord.hook).
 * mocha reads `test.fn` when it runs the test, after the beforeEach hooks.
 */
function markBody(test: Mocha.Test): void {
  const fn = test.fn as MarkedFn | undefined;
  if (!fn || fn[MARKED]) return;
  const wrapped: MarkedFn = function (this: Mocha.Context, ...args: unknown[]) {
    beginTestBody();
    const done = args[0];
    if (typeof done === 'function') {
      // A test that takes mocha's `done` ends when it calls it.
      args[0] = (...err: unknown[]): unknown => {
        endTestBody();
        return (done as (...e: unknown[]) => unknown)(...err);
      };
    }
    let result: unknown;
    try {
      result = (fn as (...a: unknown[]) => unknown).apply(this, args);
    } catch (err) {
      endTestBody();
      throw err;
    }
    if (result instanceof Promise) return result.finally(endTestBody);
    if (typeof done !== 'function') endTestBody();
    return result;
  } as MarkedFn;
  wrapped[MARKED] = true;
  test.fn = wrapped;
}

/**
 * Registers beforeEach/afterEach hooks in the current describe and returns its scope. Cleanup
 * failures become `[cleanup]` failed cases in the reports. Its `before` hook opens the process's
 * CRI channel, once per process.
 */
export function useScope(): Scope {
  const scope = new Scope();
  before(() => openCri());
  beforeEach(function () {
    setCurrentTest(this.currentTest?.fullTitle() ?? '');
    if (this.currentTest) markBody(this.currentTest);
  });
  afterEach(async function () {
    this.timeout(Math.max(ctx().timeouts.defaultMs * 2, 120_000));
    const title = this.currentTest?.fullTitle() ?? '';
    endTestBody();
    const startedAt = testBodyStartedAt();
    if (startedAt !== undefined) appendRunEvent(ctx().runDir, { kind: 'test-start', test: title, pid: process.pid, startedAt });
    const failures = await scope.cleanup();
    for (const message of failures) appendRunEvent(ctx().runDir, { kind: 'cleanup-failure', test: title, message });
    setCurrentTest('');
    flushRunFiles(ctx().runDir);
  });
  return scope;
}
