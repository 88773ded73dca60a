// `cri-conformance cleanup`: removes what runs of the suite left in a runtime (a run that was
// killed, or whose runtime vanished mid-run): every pod sandbox and container that carries the
// suite's run label, of one run (--run ID) or of every run, and then the suite's test images when
// no labelled object of any run is left (no other run is live). Prints one line per object it
// removed; exit 0 when nothing labelled is left, 1 when something is (named), 2 on a usage error,
// 3 when the runtime cannot be reached.
import { parseArgs } from 'node:util';
import { connect, waitForReady, UnreachableError, type CriClient } from '../client/cri-client.js';
import { CriCallError } from '../client/errors.js';
import { DEFAULT_TIMEOUTS } from '../client/timeouts.js';
import { UsageError } from '../common/config-file.js';
import { findWellKnownRuntime } from '../common/discover.js';
import { say } from '../common/say.js';
import { leftHostDirs, removeLeftHostDir } from '../framework/run/host-dirs.js';
import { parseEndpoint } from '../client/endpoint.js';
import { RUN_LABEL } from '../framework/run/context.js';
import { CatalogueError, defaultCatalogue, loadCatalogue, type ImageCatalogue } from '../framework/run/images.js';
import { removePod, tolerateNotFound } from '../framework/run/sweep.js';
import { parseCli } from './options.js';
import { EXIT } from './terminal.js';

export const CLEANUP_HELP = `Usage: cri-conformance cleanup [flags]

Removes the pod sandboxes and containers that runs of the suite left in a runtime (those labelled
${RUN_LABEL}), of one run or of all runs, with the host directories those runs made (local
endpoint only), and then the test images of the suite's catalogue when no run's objects are left.
Prints what it removed; exit 0 when nothing labelled is left, 1 otherwise.

Flags:
      --run ID                only the objects of this run (its id is printed at the start of a run
                              and is the run.id property of its reports; default: every run)
      --keep-images           do not remove the catalogue's test images
  -r, --runtime-endpoint EP   as for a run (env CONTAINER_RUNTIME_ENDPOINT; default: the first
                              well-known socket that answers)
  -i, --image-endpoint EP     as for a run (env IMAGE_SERVICE_ENDPOINT)
  -c, --config FILE           as for a run
      --timeout DURATION      deadline of each CRI call (default 60s)
      --test-images-file FILE the catalogue the runs used, when not the default one
  -h, --help                  print this help and exit
`;

const FLAGS = {
  run: { type: 'string' },
  'keep-images': { type: 'boolean' },
  'runtime-endpoint': { type: 'string', short: 'r' },
  'image-endpoint': { type: 'string', short: 'i' },
  config: { type: 'string', short: 'c' },
  timeout: { type: 'string' },
  'test-images-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface CleanupOptions {
  runId?: string;
  keepImages: boolean;
  runtimeEndpoint?: string;
  imageEndpoint?: string;
  timeoutMs: number;
  images: ImageCatalogue;
  help: boolean;
}

/** The cleanup flags; the ones a run shares (endpoints, config, timeout) are resolved as for a run. */
export function parseCleanup(argv: string[], env: NodeJS.ProcessEnv = process.env): CleanupOptions {
  let values;
  try {
    values = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const flag = /'(-[^']*)'/.exec((err as Error).message)?.[1];
    throw new UsageError(
      flag ? `cleanup: unknown flag ${flag} (see cleanup --help)` : `cleanup: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (values.run !== undefined && !/^[0-9a-f]{8}$/.test(values.run)) {
    throw new UsageError(`cleanup: --run takes a run id of 8 hex digits, got "${values.run}"`);
  }
  const shared: string[] = [];
  for (const flag of ['runtime-endpoint', 'image-endpoint', 'config', 'timeout'] as const) {
    if (values[flag] !== undefined) shared.push(`--${flag}`, values[flag]);
  }
  const run = parseCli(shared, env);
  let images: ImageCatalogue;
  try {
    images = values['test-images-file'] ? loadCatalogue(values['test-images-file']) : defaultCatalogue();
  } catch (err) {
    if (err instanceof CatalogueError) throw new UsageError(`cleanup: ${err.message}`);
    throw err;
  }
  return {
    runId: values.run,
    keepImages: values['keep-images'] ?? false,
    runtimeEndpoint: run.runtimeEndpoint,
    imageEndpoint: run.imageEndpoint,
    timeoutMs: run.timeoutMs,
    images,
    help: values.help ?? false,
  };
}

/** Every image reference of the catalogue: the images a run of the suite pulls itself. */
export function catalogueImages(images: ImageCatalogue): string[] {
  const refs = Object.values(images).flatMap((v) =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? (v as string[]) : [],
  );
  return [...new Set(refs.filter((r): r is string => typeof r === 'string' && r.includes('/')))];
}

/** The exact command that removes what run `runId` left in the runtime at `endpoint`. */
export function cleanupHint(endpoint: string, runId: string): string {
  return `cri-conformance cleanup --runtime-endpoint ${endpoint} --run ${runId}`;
}

interface Labelled {
  kind: 'pod' | 'container';
  id: string;
  name: string;
  run: string;
}

async function labelledObjects(client: CriClient, runId: string | undefined): Promise<Labelled[]> {
  const selector = runId ? { label_selector: { [RUN_LABEL]: runId } } : {};
  const { items } = await client.runtime.ListPodSandbox({ filter: selector });
  const { containers } = await client.runtime.ListContainers({ filter: selector });
  const mine = (labels: Record<string, string>): boolean => RUN_LABEL in labels;
  // Pods first: removing a pod removes its containers, also one the runtime will not remove alone
  // (containerd refuses a container "in starting state").
  const pods = items.filter((p) => mine(p.labels));
  const inPods = new Set(pods.map((p) => p.id));
  return [
    ...pods.map((p) => ({
      kind: 'pod' as const,
      id: p.id,
      name: `${p.metadata?.namespace ?? '?'}/${p.metadata?.name ?? '?'}`,
      run: p.labels[RUN_LABEL],
    })),
    ...containers
      .filter((c) => mine(c.labels) && !inPods.has(c.pod_sandbox_id))
      .map((c) => ({ kind: 'container' as const, id: c.id, name: c.metadata?.name ?? '?', run: c.labels[RUN_LABEL] })),
  ];
}

const named = (o: Labelled): string => `${o.kind} ${o.id} ${o.name} (run ${o.run})`;

async function removeAll(client: CriClient, endpoint: string, opts: CleanupOptions): Promise<number> {
  const callOpts = { role: 'setup' as const, timeoutMs: opts.timeoutMs };
  const found = await labelledObjects(client, opts.runId);
  let removed = 0;
  for (const o of found) {
    try {
      if (o.kind === 'container')
        await tolerateNotFound(client.runtime.RemoveContainer({ container_id: o.id }, callOpts));
      else await removePod(client.runtime, o.id, callOpts);
      say(`removed ${named(o)}`);
      removed += 1;
    } catch (err) {
      say(`could not remove ${named(o)}: ${(err as Error).message}`);
    }
  }
  const left = await labelledObjects(client, undefined);
  let images = 0;
  if (!opts.keepImages && left.length === 0) {
    for (const ref of catalogueImages(opts.images)) {
      const { image } = await client.image.ImageStatus({ image: { image: ref } }, callOpts);
      if (!image?.id) continue;
      try {
        await tolerateNotFound(client.image.RemoveImage({ image: { image: ref } }, callOpts));
        say(`removed image ${ref}`);
        images += 1;
      } catch (err) {
        say(`could not remove image ${ref}: ${(err as Error).message}`);
      }
    }
  } else if (!opts.keepImages) {
    say(
      `kept the suite's test images: objects of other runs are left (${[...new Set(left.map((o) => o.run))].join(', ')})`,
    );
  }
  const dirs = parseEndpoint(endpoint).kind === 'unix' ? removeHostDirs(opts.runId, found, left) : 0;
  const scope = opts.runId ? `run ${opts.runId}` : 'every run';
  const stillMine = left.filter((o) => !opts.runId || o.run === opts.runId);
  for (const o of stillMine) say(`left: ${named(o)}`);
  say(
    `cleanup of ${scope}: removed ${removed} object(s), ${images} image(s) and ${dirs} host directory(ies); ${stillMine.length} labelled object(s) left`,
  );
  return stillMine.length === 0 ? EXIT.ok : EXIT.failures;
}

/**
 * Removes the host directories (bind-mount sources, under the temp dir) of the run being cleaned,
 * or, for every run, of the runs whose objects were found: a directory of a run with no object in
 * the runtime may belong to a live run on this host, so it is only named.
 */
function removeHostDirs(runId: string | undefined, found: Labelled[], left: Labelled[]): number {
  const cleaned = new Set(runId ? [runId] : found.map((o) => o.run));
  const live = new Set(left.map((o) => o.run));
  let removed = 0;
  for (const { dir, run } of leftHostDirs()) {
    if (!cleaned.has(run) || live.has(run)) {
      if (!runId) say(`kept host directory ${dir}: run ${run} may be live (cleanup --run ${run} removes it)`);
      continue;
    }
    try {
      removeLeftHostDir(dir);
      say(`removed host directory ${dir}`);
      removed += 1;
    } catch (err) {
      say(`could not remove host directory ${dir}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return removed;
}

export async function cleanupMain(argv: string[]): Promise<number> {
  let opts: CleanupOptions;
  try {
    opts = parseCleanup(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      say(`cri-conformance: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
  if (opts.help) {
    process.stdout.write(CLEANUP_HELP);
    return EXIT.ok;
  }
  let runtimeEndpoint = opts.runtimeEndpoint;
  if (!runtimeEndpoint) {
    const found = await findWellKnownRuntime();
    if (!found) {
      say('cri-conformance: cleanup: no runtime endpoint given and no well-known runtime socket answers');
      return EXIT.unreachable;
    }
    say(`no runtime endpoint given: cleaning ${found.runtime} at ${found.endpoint}`);
    runtimeEndpoint = found.endpoint;
  }
  const client = connect({
    runtimeEndpoint,
    imageEndpoint: opts.imageEndpoint ?? runtimeEndpoint,
    timeouts: { ...DEFAULT_TIMEOUTS, defaultMs: opts.timeoutMs },
  });
  try {
    await waitForReady(client, 10_000);
    return await removeAll(client, runtimeEndpoint, opts);
  } catch (err) {
    if (err instanceof UnreachableError) {
      say(err.message);
      return EXIT.unreachable;
    }
    if (!(err instanceof CriCallError)) throw err;
    say(`cri-conformance: cleanup: ${err.message}`);
    return EXIT.failures;
  } finally {
    client.close();
  }
}
