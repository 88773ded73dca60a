// Start-up benchmark of the suite image: runs the image's node + suite (chroot into an unpacked
// rootfs) against a runtime through a unix-socket proxy placed in that rootfs, and measures from
// process spawn to the first CRI request (the first HTTP/2 HEADERS frame the suite sends), to the
// runtime's first reply, and to exit. Used by scripts/bench-image.sh; not a test.
//
//   node dist/src/tools/bench-start.js <rootfs> <runtime socket path> [runs]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createConnection, createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

const PREFACE_BYTES = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
const FRAME_HEADERS = 0x1;
const SOCKET_IN_IMAGE = '/run/cri/cri.sock';

/** Calls `onHeaders` at the first HEADERS frame of an HTTP/2 byte stream (client or server side). */
function headersWatcher(skip: number, onHeaders: () => void): (chunk: Buffer) => void {
  let buf = Buffer.alloc(0);
  let toSkip = skip;
  let seen = false;
  return (chunk) => {
    if (seen) return;
    buf = Buffer.concat([buf, chunk]);
    if (toSkip > 0) {
      const n = Math.min(toSkip, buf.length);
      buf = buf.subarray(n);
      toSkip -= n;
    }
    while (!seen && buf.length >= 9) {
      const length = buf.readUIntBE(0, 3);
      if (buf[3] === FRAME_HEADERS) {
        seen = true;
        onHeaders();
        return;
      }
      if (buf.length < 9 + length) return;
      buf = buf.subarray(9 + length);
    }
  };
}

/** CPU time (user + system) a live process has used so far, ms (clock ticks are 1/100 s on Linux). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface Sample {
  firstRequestMs: number;
  /** CPU time the suite had used when it sent its first request: what start-up costs without load. */
  firstRequestCpuMs: number;
  firstReplyMs: number;
  exitMs: number;
  code: number | null;
}

async function once(rootfs: string, target: string): Promise<Sample> {
  const proxyPath = `${rootfs}${SOCKET_IN_IMAGE}`;
  mkdirSync(dirname(proxyPath), { recursive: true });
  rmSync(proxyPath, { force: true });
  let t0 = 0;
  let firstRequestMs = NaN;
  let firstRequestCpuMs = NaN;
  let firstReplyMs = NaN;
  let pid: number | undefined;
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.push(client, upstream);
    const fromClient = headersWatcher(PREFACE_BYTES, () => {
      if (!Number.isNaN(firstRequestMs)) return;
      firstRequestMs = performance.now() - t0;
      firstRequestCpuMs = cpuMs(pid);
    });
    const fromServer = headersWatcher(0, () => {
      if (Number.isNaN(firstReplyMs)) firstReplyMs = performance.now() - t0;
    });
    client.on('data', (d: Buffer) => {
      fromClient(d);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      fromServer(d);
      client.write(d);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(proxyPath, resolve));
  try {
    const args = [
      rootfs,
      '/usr/local/bin/node',
      '/opt/cri-conformance/dist/src/cli.js',
      '--runtime-endpoint',
      `unix://${SOCKET_IN_IMAGE}`,
      '--focus',
      'Runtime info',
      '--report-dir',
      '/results',
    ];
    t0 = performance.now();
    const child = spawn('chroot', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    pid = child.pid;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const exitMs = performance.now() - t0;
    if (code !== 0)
      process.stderr.write(`bench: the suite exited ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}\n`);
    return { firstRequestMs, firstRequestCpuMs, firstReplyMs, exitMs, code };
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(proxyPath, { force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<number> {
  const [rootfs, target, runsText = '5'] = process.argv.slice(2);
  if (!rootfs || !target) {
    process.stderr.write('usage: bench-start <rootfs> <runtime socket path> [runs]\n');
    return 2;
  }
  const runs = Number(runsText);
  const samples: Sample[] = [];
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs (wall-clock times grow with load; CPU times do not)\n`,
  );
  for (let i = 0; i < runs; i += 1) {
    const s = await once(rootfs, target);
    samples.push(s);
    process.stdout.write(
      `run ${i + 1}: first CRI request ${s.firstRequestMs.toFixed(0)} ms (CPU ${s.firstRequestCpuMs.toFixed(0)} ms), first reply ${s.firstReplyMs.toFixed(0)} ms, exit ${s.code} after ${s.exitMs.toFixed(0)} ms\n`,
    );
  }
  const ms = (k: keyof Omit<Sample, 'code'>): string =>
    `median ${median(samples.map((s) => s[k])).toFixed(0)} ms, max ${Math.max(...samples.map((s) => s[k])).toFixed(0)} ms`;
  process.stdout.write(`start to first CRI request: ${ms('firstRequestMs')} (${runs} runs)\n`);
  process.stdout.write(`CPU time to first request:  ${ms('firstRequestCpuMs')}\n`);
  process.stdout.write(`start to first reply:       ${ms('firstReplyMs')}\n`);
  process.stdout.write(`whole run (--focus 'Runtime info'): ${ms('exitMs')}\n`);
  return samples.every((s) => s.code === 0 && Number.isFinite(s.firstRequestMs)) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
