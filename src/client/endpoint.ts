// Endpoint strings as crictl and kubelet accept them, turned into grpc-js targets.

export class EndpointError extends Error {
  override name = 'EndpointError';
}

export interface Endpoint {
  /** What the user wrote, for messages. */
  readonly original: string;
  /** The grpc-js target, e.g. `unix:///run/containerd/containerd.sock` or `host:port`. */
  readonly target: string;
  readonly kind: 'unix' | 'tcp';
  /** Socket path for unix endpoints. */
  readonly path?: string;
}

export function parseEndpoint(value: string): Endpoint {
  const original = value.trim();
  if (original === '') throw new EndpointError('empty endpoint');
  if (original.startsWith('unix://')) {
    const path = original.slice('unix://'.length);
    if (!path.startsWith('/')) throw new EndpointError(`unix endpoint must be an absolute path: ${original}`);
    return { original, target: `unix://${path}`, kind: 'unix', path };
  }
  if (original.startsWith('/')) return { original, target: `unix://${original}`, kind: 'unix', path: original };
  if (original.startsWith('npipe://'))
    throw new EndpointError(`npipe endpoints are Windows-only and not supported: ${original}`);
  let hostPort = original;
  if (original.startsWith('tcp://')) hostPort = original.slice('tcp://'.length);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(original)) {
    throw new EndpointError(`unsupported endpoint scheme in ${original} (use unix://, tcp:// or host:port)`);
  }
  hostPort = hostPort.replace(/\/+$/, '');
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(hostPort);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new EndpointError(`endpoint ${original} is not unix:///path, /path, tcp://host:port or host:port`);
  }
  return { original, target: `${m[1]}:${m[2]}`, kind: 'tcp' };
}
