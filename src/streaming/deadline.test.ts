// Against fake servers: every session ends, with a clear error, within its deadline.
import { expect } from 'chai';
import {
  fakeSpdyServer,
  fakeWebSocketPortForwardServer,
  fakeWebSocketServer,
  type FakeBehaviour,
  type FakeServer,
} from './fake-streaming-server.js';
import {
  openPortForward,
  openRemoteCommand,
  StreamingError,
  type RemoteCommandSession,
  type StreamingProtocol,
} from './index.js';

const DEADLINE_MS = 400;
const opts = { stdin: false, stdout: true, stderr: true, tty: false, timeoutMs: DEADLINE_MS };

async function outcome(
  protocol: StreamingProtocol,
  behaviour: FakeBehaviour,
): Promise<{ error?: Error; session?: RemoteCommandSession; ms: number }> {
  const server: FakeServer = await (protocol === 'spdy' ? fakeSpdyServer(behaviour) : fakeWebSocketServer(behaviour));
  const started = Date.now();
  try {
    const session = await openRemoteCommand(protocol, server.url, opts);
    await session.done;
    return { session, ms: Date.now() - started };
  } catch (error) {
    return { error: error as Error, ms: Date.now() - started };
  } finally {
    await server.close();
  }
}

for (const protocol of ['spdy', 'websocket'] as const) {
  describe(`streaming session over ${protocol} against a fake server`, function () {
    it('fails within the deadline when the server never answers the upgrade', async function () {
      const { error, ms } = await outcome(protocol, 'never-upgrade');
      expect(error).to.be.instanceOf(StreamingError);
      expect(error!.message).to.match(/no end within 0\.4s|deadline passed before the upgrade completed/);
      expect(ms).to.be.lessThan(DEADLINE_MS + 1000);
    });
    it('reports the HTTP status when the upgrade is refused', async function () {
      const { error } = await outcome(protocol, 'refuse');
      expect(error).to.be.instanceOf(StreamingError);
      expect(error!.message).to.include('upgrade refused: HTTP 404 Not Found: "not found"');
    });
    it('fails within the deadline when the server stops talking mid-stream, saying what arrived', async function () {
      const { error, ms } = await outcome(protocol, 'hang-mid-stream');
      expect(error).to.be.instanceOf(StreamingError);
      expect(error!.message).to.match(/no end within 0\.4s \(received stdout 7 B, stderr 0 B, status none\)$/);
      expect(ms).to.be.lessThan(DEADLINE_MS + 1000);
    });
    it('fails when the server closes before the exit status', async function () {
      const { error, ms } = await outcome(protocol, 'close-early');
      expect(error).to.be.instanceOf(StreamingError);
      expect(error!.message).to.match(/closed the session before an exit status arrived|connection error/);
      expect(ms).to.be.lessThan(DEADLINE_MS);
    });
    it('fails a port-forward session within the deadline when the server never answers the upgrade', async function () {
      const server = await fakeSpdyServer('never-upgrade');
      const started = Date.now();
      try {
        const error = await openPortForward(protocol, server.url, { ports: [80], timeoutMs: DEADLINE_MS }).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(error).to.be.instanceOf(StreamingError);
        expect(error!.message).to.include('the session deadline passed before the upgrade completed');
        expect(Date.now() - started).to.be.lessThan(DEADLINE_MS + 1000);
      } finally {
        await server.close();
      }
    });
    it('returns output and the exit code from a server that follows the protocol', async function () {
      const server = await (protocol === 'spdy' ? fakeSpdyServer('exit-3') : fakeWebSocketServer('exit-3'));
      try {
        const session = await openRemoteCommand(protocol, server.url, opts);
        const result = await session.done;
        expect(result.stdout.toString()).to.equal('partial');
        expect(result.status.exitCode).to.equal(3);
        expect(result.protocol).to.equal('v4.channel.k8s.io');
      } finally {
        await server.close();
      }
    });
  });
}

describe('port forward over websocket against a fake server', function () {
  it('skips the ready message and the port prefix, then carries data both ways', async function () {
    const server = await fakeWebSocketPortForwardServer(8080);
    try {
      const session = await openPortForward('websocket', server.url, { ports: [8080], timeoutMs: 2_000 });
      const connection = await session.connect(8080);
      connection.write('ping');
      const result = await connection.done;
      expect(result).to.deep.equal({ data: Buffer.from('PING'), error: '' });
      expect(session.protocol).to.equal('v4.channel.k8s.io');
      await session.connect(8080).then(
        () => expect.fail('a second connection to a once-listed port opened'),
        (e: Error) => {
          expect(e.message).to.include('each listed port carries one connection');
        },
      );
    } finally {
      await server.close();
    }
  });
});
