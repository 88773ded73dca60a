import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDirOf, lockEndpoint } from './endpoint-lock.js';

const ENDPOINT = 'unix:///var/tmp/lock-test/containerd.sock';
const moduleUrl = new URL('./endpoint-lock.js', import.meta.url).href;

/** Another run: a process that takes the lock in `mode`, says "held", and holds it until killed. */
async function otherRun(root: string, mode: 'shared' | 'exclusive'): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { lockEndpoint } = await import(${JSON.stringify(moduleUrl)});
       await lockEndpoint(${JSON.stringify(ENDPOINT)}, ${JSON.stringify(mode)}, { root: ${JSON.stringify(root)} });
       console.log('held'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`the other run exited with ${code} before it held the lock`)));
  });
  return child;
}

const exited = (child: ChildProcess): Promise<unknown> => new Promise((resolve) => child.once('exit', resolve));

describe('endpoint lock', function () {
  let root: string;
  const children: ChildProcess[] = [];
  beforeEach(function () {
    root = mkdtempSync(join(tmpdir(), 'crit-lock-'));
  });
  afterEach(function () {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('lets parallel phases of two runs share the endpoint', async function () {
    children.push(await otherRun(root, 'shared'));
    const held = await lockEndpoint(ENDPOINT, 'shared', { root, timeoutMs: 2_000 });
    expect(readdirSync(lockDirOf(ENDPOINT, root))).to.have.length(2);
    held.release();
    expect(readdirSync(lockDirOf(ENDPOINT, root))).to.have.length(1);
  });

  it('holds a serial phase until the other run leaves its parallel phase, and says who it waits for', async function () {
    const other = await otherRun(root, 'shared');
    children.push(other);
    const waitedFor: number[][] = [];
    const lock = lockEndpoint(ENDPOINT, 'exclusive', { root, onWait: (pids) => waitedFor.push(pids) });
    let got = false;
    void lock.then(() => (got = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(got, 'exclusive lock taken while another run held it shared').to.equal(false);
    expect(waitedFor).to.deep.equal([[other.pid]]);
    other.kill('SIGKILL');
    await exited(other);
    (await lock).release();
    expect(readdirSync(lockDirOf(ENDPOINT, root))).to.deep.equal([]);
  });

  it('holds a parallel phase while another run is in its serial phase, and gives up at the deadline naming it', async function () {
    const other = await otherRun(root, 'exclusive');
    children.push(other);
    const err = await lockEndpoint(ENDPOINT, 'shared', { root, timeoutMs: 500 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.match(
      new RegExp(`gave up waiting for the shared lock of .* held by process\\(es\\) ${other.pid}`),
    );
    expect(readdirSync(lockDirOf(ENDPOINT, root))).to.deep.equal(['exclusive']);
  });

  it('removes the files of runs that are gone', async function () {
    const dir = lockDirOf(ENDPOINT, root);
    mkdirSync(dir, { recursive: true });
    const gone = spawn(process.execPath, ['-e', '']);
    await exited(gone);
    writeFileSync(join(dir, 'exclusive'), `${gone.pid}\n`);
    writeFileSync(join(dir, `shared-${gone.pid}`), '');
    writeFileSync(join(dir, `wants-${gone.pid}`), '');
    const held = await lockEndpoint(ENDPOINT, 'exclusive', { root, timeoutMs: 2_000 });
    expect(readdirSync(dir)).to.deep.equal(['exclusive']);
    held.release();
    expect(existsSync(join(dir, 'exclusive'))).to.equal(false);
  });

  it('keeps one directory per endpoint, named after it', function () {
    expect(lockDirOf('unix:///run/containerd/containerd.sock', '/l')).to.equal(
      '/l/unix_run_containerd_containerd.sock',
    );
    expect(lockDirOf('tcp://10.0.0.1:1234', '/l')).to.equal('/l/tcp_10.0.0.1_1234');
  });
});
