// One pod that the tests of a describe share when the pod is only where their containers run, not
// what they check. Running and tearing down a pod sandbox (pause process, network namespace, CNI)
// costs a runtime far more than a container, so sharing it is most of what makes the suite fast.
// Each test still creates, and its own scope removes, its containers; the pod is made on first
// use (tests that skip never make it) and removed once, after the describe's last test. The
// default pod goes further: one per worker process serves every spec file (useWorkerPod).
import { isCode } from '../client/errors.js';
import { containerConfig, type ContainerOpt } from './containers.js';
import { WORKER_POD_LABEL } from './context.js';
import { withLabels, type PodOpt } from './pods.js';
import { Scope, type Container, type Pod } from './scope.js';
import { withPodSecurityContext } from './security.js';
import { containerStatus, podStatus } from './state.js';
import { useSharedScope } from './shared-scope.js';
import { createUnderTest, runPodUnderTest } from './under-test.js';

/** Where the tests of a describe run their containers. */
export interface PodHandle {
  /** The pod: run on the first call; later calls check that it is still ready. */
  get(): Promise<Pod>;
  /** Tracks the describe's shared containers (and a describe's own pod), removed after its last test. */
  readonly scope: Scope;
}

export interface SharedPod extends PodHandle {
  /**
   * Like get(), for tests whose subject is the pod's config (RunPodSandbox): when this call runs
   * the pod, its RunPodSandbox is recorded as the call under test (runPodUnderTest), not a fixture.
   */
  getUnderTest(): Promise<Pod>;
}

/**
 * Registers the shared pod of the current describe. A test that stops or removes the pod, lists
 * the pod's containers or reads the pod's own state must run its own pod instead. Tests that check
 * what the pod's config does (several tests of one RunPodSandbox config) take it with
 * getUnderTest(); whichever call comes first decides how its one RunPodSandbox is recorded.
 */
export function useSharedPod(slug: string, ...opts: PodOpt[]): SharedPod {
  const scope = useSharedScope();
  const take = createdOnce(
    (underTest: boolean) => (underTest ? runPodUnderTest(scope, slug, ...opts) : scope.runPod(slug, ...opts)),
    async (pod) => (await podStatus(pod.id)).state,
    'SANDBOX_READY',
    (pod, state) => `the shared pod ${slug} (${pod.id}) of this describe is ${state}: an earlier test stopped it`,
  );
  return { scope, get: () => take(false), getUnderTest: () => take(true) };
}

/** The pod configs that a worker shares across spec files: the default pod and a privileged one. */
const WORKER_POD_OPTS = {
  default: [],
  privileged: [withPodSecurityContext({ privileged: true })],
} satisfies Record<string, PodOpt[]>;
export type WorkerPodKind = keyof typeof WORKER_POD_OPTS;

/**
 * A pod of this process, for a describe whose tests only need somewhere to run containers: one
 * per kind (the default pod, or one with privileged: true for privileged containers) and per
 * mocha worker (per run at --parallel 1), shared by every spec file the worker runs, so that a run
 * pays for a handful of pods, not one per file. A pod costs a runtime a pause container, a network
 * namespace and a CNI round; each file's containers stay its own and are removed after its tests
 * (`scope`). The same rules as for useSharedPod, and more: no test may use it for what its config
 * says (RunPodSandbox under test) or a list of its containers (another file's leftover would
 * show), and a port may be listened on in it by one spec file only (streaming-port-forward: 80,
 * and nothing on 8081). A pod that is no longer ready (an earlier file stopped it) is replaced,
 * not reported against this file. The CLI removes these pods after each phase (WORKER_POD_LABEL).
 */
export function useWorkerPod(kind: WorkerPodKind = 'default'): PodHandle {
  return { scope: useSharedScope(), get: () => takeWorkerPod(kind) };
}

const workerPods = new Map<WorkerPodKind, Promise<Pod>>();

async function takeWorkerPod(kind: WorkerPodKind): Promise<Pod> {
  const taken = workerPods.get(kind);
  if (!taken) {
    const made = new Scope().runPod(`worker-${kind}`, ...WORKER_POD_OPTS[kind], withLabels({ [WORKER_POD_LABEL]: 'true' }));
    workerPods.set(kind, made);
    return made;
  }
  const pod = await taken.catch(() => undefined);
  if (pod && (await readyOrGone(pod)) === 'SANDBOX_READY') return pod;
  if (workerPods.get(kind) === taken) workerPods.delete(kind);
  return takeWorkerPod(kind);
}

/** The pod's state, or NOT_FOUND when the runtime no longer has it. */
async function readyOrGone(pod: Pod): Promise<string> {
  try {
    return (await podStatus(pod.id)).state;
  } catch (err) {
    if (isCode(err, 'NOT_FOUND')) return 'NOT_FOUND';
    throw err;
  }
}

export interface SharedContainer {
  /** The describe's running container: created on the first call; later calls check it still runs. */
  get(): Promise<Container>;
}

/**
 * A long-running container in `pod` that the tests of a describe share when they only run
 * commands in it (ExecSync, Exec): no test may stop it or change what the others observe.
 * It is removed with the pod's scope, before the pod.
 */
export function useSharedContainer(pod: PodHandle, slug: string, ...opts: ContainerOpt[]): SharedContainer {
  return runningOnce(slug, async () => pod.scope.runContainer(await pod.get(), slug, ...opts));
}

/**
 * A running container of `containerConfig(slug, ...opts)` in `pod` for the tests of a describe
 * that each check a different fact about that same config: CreateContainer is the call under test
 * of whichever of them runs first (recorded so, as `createUnderTest` does). No test may stop it or
 * change what the others observe. It is removed with the pod's scope, before the pod.
 */
export function useSharedUnderTest(pod: PodHandle, slug: string, ...opts: ContainerOpt[]): SharedContainer {
  return runningOnce(slug, async () => {
    const made = await pod.get();
    const config = containerConfig(slug, ...opts);
    return { id: await createUnderTest(pod.scope, made, config), podId: made.id, config };
  });
}

/** A shared container made by `create` on first use; later uses check that it still runs. */
function runningOnce(slug: string, create: () => Promise<Container>): SharedContainer {
  const get = createdOnce(
    create,
    async (container) => (await containerStatus(container.id)).state,
    'CONTAINER_RUNNING',
    (container, state) => `the shared container ${slug} (${container.id}) of this describe is ${state}: an earlier test stopped or changed it`,
  );
  return { get };
}

/**
 * Any other fixture that the tests of a describe share and none of them changes (a created
 * container and the host paths it was given, a pod whose status is what the tests read): `make`
 * runs on the first call (again after a failed one), later calls get what it made. `make` must
 * track what it creates in a shared scope (useSharedScope(), or a shared pod's `scope`), so it is
 * removed after the describe's last test. No state check on later calls: use this when the state
 * is itself what the tests check, or when the fixture is never started.
 */
export function sharedFixture<T>(make: () => Promise<T>): () => Promise<T> {
  const take = madeOnce(make);
  return () => take().value;
}

/**
 * Fixtures that the tests of a describe each take one of, made together: the first test that asks
 * for any of them starts every `make` at once, so that the runtime works on them side by side
 * (containers that run to their exit exit while the first test waits for its own), and each test
 * awaits only its own. A `make` that failed fails only the tests that ask for it, and is made
 * again when asked for again. As with sharedFixture, `make` tracks what it creates in a shared
 * scope, and nothing checks its state on later calls: the tests read what the fixture became.
 */
export function madeTogether<M extends Record<string, () => Promise<unknown>>>(makers: M): <K extends keyof M>(key: K) => ReturnType<M[K]> {
  const made = new Map<keyof M, Promise<unknown>>();
  let started = false;
  const start = (key: keyof M): Promise<unknown> => {
    const value = makers[key]();
    value.catch(() => undefined); // reported by the test that asks for it
    made.set(key, value);
    return value;
  };
  return <K extends keyof M>(key: K): ReturnType<M[K]> => {
    if (!started) {
      started = true;
      for (const k of [key, ...Object.keys(makers).filter((k) => k !== key)]) start(k);
    }
    const value = made.get(key) ?? start(key);
    // Handed out as made, failed or not; after a failure the next ask makes it again.
    value.catch(() => {
      if (made.get(key) === value) made.delete(key);
    });
    return value as ReturnType<M[K]>;
  };
}

/**
 * `create` on the first call (again after a failed one); on later calls the created object once
 * `stateOf` it is still `expected`, else an error that `stale` words. Only the call that creates
 * passes its arguments to `create`.
 */
function createdOnce<T, A extends unknown[] = []>(
  create: (...args: A) => Promise<T>,
  stateOf: (made: T) => Promise<string>,
  expected: string,
  stale: (made: T, state: string) => string,
): (...args: A) => Promise<T> {
  const take = madeOnce(create);
  return async (...args: A) => {
    const { value, fresh } = take(...args);
    if (fresh) return value;
    const object = await value;
    const state = await stateOf(object);
    if (state !== expected) throw new Error(stale(object, state));
    return object;
  };
}

/** `make` on the first call and again after a failed one; `fresh` says whether this call made it. */
function madeOnce<T, A extends unknown[]>(make: (...args: A) => Promise<T>): (...args: A) => { value: Promise<T>; fresh: boolean } {
  let made: Promise<T> | undefined;
  return (...args: A) => {
    if (made) return { value: made, fresh: false };
    const value = make(...args);
    made = value;
    value.catch(() => {
      if (made === value) made = undefined;
    });
    return { value, fresh: true };
  };
}
