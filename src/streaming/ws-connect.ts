// Opening a WebSocket to a streaming URL the runtime returned: subprotocol negotiation, a refused
// upgrade turned into a clear error, and abort by the session's deadline.
import WebSocket from 'ws';
import { StreamingError } from './session.js';

/** `http://…` → `ws://…`, `https://…` → `wss://…`. */
export function toWebSocketUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.toString();
}

/**
 * Opens the WebSocket. `onMessage` is registered before the upgrade completes: a server may send
 * its first messages in the same packet as the upgrade response, and `ws` delivers them at once.
 */
export function openWebSocket(
  url: string,
  protocols: readonly string[],
  signal: AbortSignal,
  label: string,
  onMessage: (data: Buffer, isBinary: boolean) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(toWebSocketUrl(url), [...protocols], { perMessageDeflate: false });
    ws.on('message', (data, isBinary) => {
      try {
        onMessage(messageBytes(data), isBinary);
      } catch (err) {
        // A malformed message ends the session with the reason instead of crashing the process.
        ws.emit('error', err instanceof Error ? err : new Error(String(err)));
        ws.terminate();
      }
    });
    const onAbort = (): void => {
      ws.terminate();
      reject(new StreamingError(`${label}: the session deadline passed before the upgrade completed`));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal.removeEventListener('abort', onAbort);
    ws.once('open', () => {
      done();
      resolve(ws);
    });
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 500) body += d;
      });
      res.on('end', () => {
        done();
        req.destroy();
        reject(
          new StreamingError(
            `${label}: upgrade refused: HTTP ${res.statusCode} ${res.statusMessage ?? ''}: ${JSON.stringify(body.trim().slice(0, 300))}`,
          ),
        );
      });
    });
    ws.once('error', (err) => {
      done();
      reject(new StreamingError(`${label}: WebSocket upgrade failed: ${err.message}`));
    });
  });
}

export function messageBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
