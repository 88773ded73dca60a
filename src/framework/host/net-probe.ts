// Network probes from the suite's host: HTTP GET and UDP datagrams to 127.0.0.1 or to the IP of a
// pod the test created (never anywhere else), and free host ports picked at random in a high range
// so that parallel runs do not clash.
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { shellIn } from '../in-container/exec.js';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET http://host:port/ with a short deadline; rejects on any network error. */
export function httpGet(host: string, port: number, timeoutMs = 3_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}/ timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends `payload` to host:port over UDP and resolves with the first datagram that comes back, or
 * undefined when none does within `timeoutMs`. The socket is connected, so that an ICMP "port
 * unreachable" (nothing listens there yet) fails it at once with ECONNREFUSED instead of waiting
 * out the timeout; a lost datagram gives no other sign.
 */
export function udpExchange(
  host: string,
  port: number,
  payload: string,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    let done = false;
    const end = (): void => {
      done = true;
      clearTimeout(timer);
      socket.close();
    };
    const timer = setTimeout(() => {
      end();
      resolve(undefined);
    }, timeoutMs);
    socket.once('message', (msg) => {
      if (done) return;
      end();
      resolve(msg.toString('utf8'));
    });
    socket.once('error', (err) => {
      if (done) return;
      end();
      reject(err);
    });
    socket.connect(port, host, () => {
      if (!done) socket.send(payload);
    });
  });
}

function tcpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind({ port, address: '0.0.0.0', exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

/** A random port in 20000-29999 that nothing on this host listens on, for TCP and UDP. */
export async function pickHostPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = randomInt(20_000, 30_000);
    if ((await tcpPortFree(port)) && (await udpPortFree(port))) return port;
  }
  throw new Error('found no free host port in 20000-29999 after 50 tries');
}

/**
 * GET http://ip:port/ from inside a container with busybox `nc` (the test image's busybox `wget`
 * crashes with SIGSEGV); resolves with the status and body, rejects when no HTTP answer came.
 */
export async function httpGetFromContainer(containerId: string, ip: string, port: number): Promise<HttpAnswer> {
  const res = await shellIn(containerId, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${ip} ${port}`);
  const split = res.stdout.indexOf('\r\n\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(res.stdout);
  if (split < 0 || !status)
    throw new Error(`no HTTP answer from ${ip}:${port} (exit ${res.exitCode}, stderr ${res.stderr.trim()})`);
  return { status: Number(status[1]), body: res.stdout.slice(split + 4) };
}
