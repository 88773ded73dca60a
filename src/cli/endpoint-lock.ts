// Runs of the suite on one host against one endpoint share the runtime: a [serial] phase (it
// removes shared images, changes runtime-wide state, measures the node at rest) must not overlap
// any other run's phase, and parallel phases may overlap each other. A readers/writer lock made of
// files in a directory per endpoint: `shared-<pid>` for a parallel phase, `exclusive` (holding the
// pid) for a serial one, `wants-<pid>` for a serial phase that waits (new parallel phases then wait
// behind it, so a serial phase is not starved). A file whose process is gone is stale and removed.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const LOCK_ROOT = '/var/tmp/cri-conformance-locks';
const POLL_MS = 250;
/** The pid of an `exclusive` file that its run has created and not yet written. */
const BEING_WRITTEN = 0;

export type LockMode = 'shared' | 'exclusive';

export interface HeldLock {
  release(): void;
}

export interface LockOptions {
  /** Where the per-endpoint directories live (tests give their own). */
  root?: string;
  /** Give up after this long; the error names the runs that held the lock. */
  timeoutMs?: number;
  /** Called once when the lock is not free at once, with the pids that hold it. */
  onWait?: (holders: number[]) => void;
}

/** The lock directory of an endpoint: one per endpoint string, a file-name-safe slug of it. */
export function lockDirOf(endpoint: string, root = LOCK_ROOT): string {
  return join(root, endpoint.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+/, '') || 'default');
}

/** Waits for the endpoint's lock in `mode` and holds it until `release` (or this process exits). */
export async function lockEndpoint(endpoint: string, mode: LockMode, opts: LockOptions = {}): Promise<HeldLock> {
  const dir = lockDirOf(endpoint, opts.root);
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  const own = new Set<string>();
  const removeOwn = (): void => {
    for (const name of own) rmSync(join(dir, name), { force: true });
    own.clear();
  };
  process.once('exit', removeOwn);
  let told = false;
  try {
    for (;;) {
      const holders = mode === 'shared' ? tryShared(dir, own) : tryExclusive(dir, own);
      if (holders.length === 0) break;
      if (!told) opts.onWait?.(holders);
      told = true;
      if (Date.now() > deadline)
        throw new Error(
          `gave up waiting for the ${mode} lock of ${endpoint} (${dir}) after ${Math.round((opts.timeoutMs ?? 3_600_000) / 1000)} s: held by process(es) ${holders.join(', ')}`,
        );
      await sleep(POLL_MS);
    }
  } catch (err) {
    removeOwn();
    process.off('exit', removeOwn);
    throw err;
  }
  return {
    release() {
      removeOwn();
      process.off('exit', removeOwn);
    },
  };
}

/** Takes a shared hold unless a serial phase holds or wants the lock; returns the pids in the way. */
function tryShared(dir: string, own: Set<string>): number[] {
  const blockers = (): number[] =>
    live(dir).flatMap((f) => (f.kind !== 'shared' && f.pid !== process.pid ? [f.pid] : []));
  const before = blockers();
  if (before.length > 0) return before;
  const name = `shared-${process.pid}`;
  writeFileSync(join(dir, name), `${process.pid}\n`);
  own.add(name);
  // A serial phase that began at the same moment sees this file and waits; one that got there
  // first makes this one back off.
  const after = blockers();
  if (after.length === 0) return [];
  rmSync(join(dir, name), { force: true });
  own.delete(name);
  return after;
}

/** Takes the exclusive hold once no other run holds any; returns the pids in the way. */
function tryExclusive(dir: string, own: Set<string>): number[] {
  const wants = `wants-${process.pid}`;
  if (!own.has(wants) && !own.has('exclusive')) {
    writeFileSync(join(dir, wants), `${process.pid}\n`);
    own.add(wants);
  }
  if (!own.has('exclusive')) {
    const holder = live(dir).find((f) => f.kind === 'exclusive');
    if (holder) return [holder.pid];
    try {
      writeFileSync(join(dir, 'exclusive'), `${process.pid}\n`, { flag: 'wx' });
      own.add('exclusive');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      return live(dir).flatMap((f) => (f.kind === 'exclusive' ? [f.pid] : []));
    }
  }
  const sharing = live(dir).flatMap((f) => (f.kind === 'shared' && f.pid !== process.pid ? [f.pid] : []));
  if (sharing.length > 0) return sharing;
  rmSync(join(dir, wants), { force: true });
  own.delete(wants);
  return [];
}

interface LockFile {
  kind: 'shared' | 'wants' | 'exclusive';
  pid: number;
}

/** The lock's files whose process is alive; removes the stale ones. */
function live(dir: string): LockFile[] {
  const files: LockFile[] = [];
  for (const name of readdirSync(dir)) {
    const file = parse(dir, name);
    if (!file) continue;
    if (file.pid === BEING_WRITTEN || alive(file.pid)) files.push(file);
    else rmSync(join(dir, name), { force: true });
  }
  return files;
}

function parse(dir: string, name: string): LockFile | undefined {
  const m = /^(shared|wants)-(\d+)$/.exec(name);
  if (m) return { kind: m[1] as 'shared' | 'wants', pid: Number(m[2]) };
  if (name !== 'exclusive') return undefined;
  try {
    const pid = Number(readFileSync(join(dir, name), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) return { kind: 'exclusive', pid };
    // Created and not yet written: held by the run writing it, unless it died doing so long ago.
    if (Date.now() - statSync(join(dir, name)).mtimeMs < 5_000) return { kind: 'exclusive', pid: BEING_WRITTEN };
    rmSync(join(dir, name), { force: true });
  } catch {
    // removed between readdir and read
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
