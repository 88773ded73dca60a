// Port forward over SPDY/3.1 (portforward.k8s.io): each forwarded connection is a pair of streams,
// `streamtype: error` then `streamtype: data`, sharing `port` and `requestid` headers. Any number
// of connections, to any port, share one session.
import { ForwardedConnection, type PortForwardTransport } from './port-forward.js';
import { SpdyConnection, upgradeToSpdy } from './spdy-connection.js';

export const PORT_FORWARD_SPDY_PROTOCOL = 'portforward.k8s.io';

export async function connectSpdyPortForward(
  url: string,
  signal: AbortSignal,
  label: string,
): Promise<PortForwardTransport> {
  const up = await upgradeToSpdy(url, [PORT_FORWARD_SPDY_PROTOCOL], signal, label);
  const conn = new SpdyConnection(up.socket, up.head, label);
  const onAbort = (): void => conn.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  const open = new Set<ForwardedConnection>();
  conn.onClose = (error) => {
    signal.removeEventListener('abort', onAbort);
    for (const c of open) {
      if (error) c.fail(error);
      else c.finish();
    }
  };
  let requestId = 0;
  return {
    protocol: up.protocol,
    open: async (port) => {
      const id = String(requestId++);
      const headers = { port: String(port), requestid: id };
      const error = conn.openStream({ streamtype: 'error', ...headers });
      error.end(); // the client never writes to the error stream
      const data = conn.openStream({ streamtype: 'data', ...headers });
      const connection = new ForwardedConnection(`${label} port ${port} request ${id}`, {
        send: (b) => data.write(b),
        end: () => data.end(),
      });
      open.add(connection);
      error.onData = (d) => connection.receive('error', d);
      data.onData = (d) => connection.receive('data', d);
      const settle = (): void => {
        if (error.remoteClosed && data.remoteClosed) {
          open.delete(connection);
          connection.finish();
        }
      };
      error.onEnd = settle;
      data.onEnd = settle;
      await Promise.all([error.replied, data.replied]);
      return connection;
    },
    destroy: () => conn.destroy(),
  };
}
