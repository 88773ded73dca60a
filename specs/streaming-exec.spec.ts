// Exec over the runtime's streaming server, once per streaming protocol: output, exit status,
// stdin, tty and resize. api.proto:1617-1636 (ExecRequest): cmd, tty, stdin, stdout, stderr;
// "If `tty` is true, `stderr` MUST be false".
// Every test runs its own Exec session in one long-running container that the file's tests share:
// each exec has its own stdio, no test stops the container and none writes a file.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  containerRunning,
  cri,
  eventually,
  itId,
  openStream,
  overEachProtocol,
  type RemoteCommandResult,
  requireStdinClose,
  rpc,
  runningIn,
  shared,
  type StreamingProtocol,
  streamingTimeoutMs,
  useScope,
  useWorkerPod,
} from '../src/framework/index.js';

describe('Streaming', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  const execIn = shared(runningIn(pod, 'exec'), containerRunning);

  /** Runs `cmd` through Exec (stdout and stderr, no stdin, no tty) in the shared container, to its end. */
  async function execToEnd(protocol: StreamingProtocol, cmd: string[]): Promise<RemoteCommandResult> {
    const container = await execIn.get();
    const req = { container_id: container.id, cmd, tty: false, stdin: false, stdout: true, stderr: true };
    const { url } = await cri().runtime.Exec(req);
    return (await openStream(scope, protocol, url, req, 'exec')).done;
  }

  rpc('Exec', function () {
    overEachProtocol((protocol) => {
      itId(
        `exec.${protocol}.stdout-exactly-exit-0`,
        'returns stdout exactly, empty stderr and exit 0 for a command without tty',
        async function () {
          const result = await execToEnd(protocol, ['echo', '-n', 'hello']);
          expect(result.stdout.toString('utf8'), 'exec stdout of `echo -n hello`').to.equal('hello');
          expect(result.stderr.toString('utf8'), 'exec stderr of `echo -n hello`').to.equal('');
          expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(0);
        },
      );

      it('carries what the command writes to stderr apart from stdout', async function () {
        const result = await execToEnd(protocol, ['sh', '-c', 'echo -n out; echo -n err >&2']);
        expect(result.stdout.toString('utf8'), 'exec stdout').to.equal('out');
        expect(result.stderr.toString('utf8'), 'exec stderr').to.equal('err');
        expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(0);
      });

      it('reports a non-zero exit code through the status', async function () {
        const result = await execToEnd(protocol, ['sh', '-c', 'exit 3']);
        expect(result.status.success, 'exec status success for `exit 3`').to.equal(false);
        expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(3);
      });

      it('pipes 1 MiB of binary stdin byte-exact to the command', async function () {
        const container = await execIn.get();
        const input = randomBytes(1024 * 1024);
        const req = {
          container_id: container.id,
          cmd: ['head', '-c', String(input.length)],
          tty: false,
          stdin: true,
          stdout: true,
          stderr: true,
        };
        const { url } = await cri().runtime.Exec(req);
        const session = await openStream(scope, protocol, url, req, 'exec');
        session.write(input);
        const result = await session.done;
        expect(result.stdout.length, 'bytes of stdout echoed by `head -c 1048576`').to.equal(input.length);
        expect(result.stdout.equals(input), 'stdout equals the 1 MiB written to stdin').to.equal(true);
        expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(0);
      });

      it('ends cat when the client closes stdin', async function () {
        const container = await execIn.get();
        const req = { container_id: container.id, cmd: ['cat'], tty: false, stdin: true, stdout: true, stderr: true };
        const { url } = await cri().runtime.Exec(req);
        const session = await openStream(scope, protocol, url, req, 'exec');
        requireStdinClose(this, protocol, session);
        session.write('line one\nline two');
        session.closeStdin();
        const result = await session.done;
        expect(result.stdout.toString('utf8'), 'stdout of cat').to.equal('line one\nline two');
        expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(0);
      });

      it('with a tty, delivers output and ends when the process exits while stdin is still open', async function () {
        const container = await execIn.get();
        const req = {
          container_id: container.id,
          cmd: ['sh', '-c', 'read line; echo "got:$line"'],
          tty: true,
          stdin: true,
          stdout: true,
          stderr: false,
        };
        const { url } = await cri().runtime.Exec(req);
        const session = await openStream(scope, protocol, url, req, 'exec');
        session.write('abc\n');
        const result = await session.done; // stdin is never closed
        expect(result.stdout.toString('utf8'), 'tty output of `read line; echo got:$line`').to.include('got:abc');
        expect(result.status.exitCode, `exit code in the exec status (${result.status.message})`).to.equal(0);
      });

      it('applies a resize message to the tty', async function () {
        const container = await execIn.get();
        const req = {
          container_id: container.id,
          cmd: ['sh', '-c', 'while read x; do echo "size:$(stty size)"; done'],
          tty: true,
          stdin: true,
          stdout: true,
          stderr: false,
        };
        const { url } = await cri().runtime.Exec(req);
        const session = await openStream(scope, protocol, url, req, 'exec');
        session.resize(101, 41);
        // Each newline makes the shell print `stty size` (rows cols); the resize may land a moment later.
        const out = await eventually(
          '`stty size` in the exec tty to read "41 101"',
          async () => {
            session.write('\n');
            return session.stdoutText();
          },
          (text) => text.includes('size:41 101'),
          { timeout: streamingTimeoutMs(), interval: 100 },
        );
        expect(out, 'tty output of `stty size` after a resize to 101x41').to.include('size:41 101');
      });
    });
  });
});
