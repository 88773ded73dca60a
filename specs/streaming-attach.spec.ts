// Attach over the runtime's streaming server, once per streaming protocol. api.proto:1643-1661
// (AttachRequest): stdin, stdout, stderr; "tty ... must match the TTY setting in the
// ContainerConfig"; api.proto:1280-1284 (ContainerConfig): stdin, stdin_once, tty.
// Attach reaches a container's main process: the shell a test writes to is shared by the two
// protocols' runs of that test only (each writes and looks for its own marker; stdin stays open
// without stdin_once), and the stdin_once test, which ends its container, runs its own.
import { expect } from 'chai';
import {
  containerRunning,
  cri,
  endInput,
  eventually,
  itId,
  openStream,
  overEachProtocol,
  rpc,
  runningIn,
  shared,
  streamingTimeoutMs,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withCommand,
  withStdin,
} from '../src/framework/index.js';

describe('Streaming', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  const shell = shared(runningIn(pod, 'attach-sh', withStdin(false), withCommand('sh')), containerRunning);
  const ttyShell = shared(runningIn(pod, 'attach-tty', withStdin(false, true), withCommand('sh')), containerRunning);

  rpc('Attach', function () {
    overEachProtocol((protocol) => {
      itId(
        `attach.${protocol}.input-written-stdin`,
        'runs input written to a container started with stdin and returns its output',
        async function () {
          const container = await shell.get();
          const req = { container_id: container.id, stdin: true, stdout: true, stderr: true, tty: false };
          const { url } = await cri().runtime.Attach(req);
          const session = await openStream(scope, protocol, url, req, 'attach');
          session.write(`echo attached-${protocol}-$((6*7))\n`);
          const out = await eventually(
            `attach stdout to show the output of \`echo attached-${protocol}-$((6*7))\``,
            async () => session.stdoutText(),
            (text) => text.includes(`attached-${protocol}-42`),
            { timeout: streamingTimeoutMs() },
          );
          expect(out, 'attach stdout').to.include(`attached-${protocol}-42`);
        },
      );

      it('attaches to a container running with a tty', async function () {
        const container = await ttyShell.get();
        const req = { container_id: container.id, stdin: true, stdout: true, stderr: false, tty: true };
        const { url } = await cri().runtime.Attach(req);
        const session = await openStream(scope, protocol, url, req, 'attach');
        session.write(`echo tty-${protocol}-$((6*7))\n`);
        const out = await eventually(
          `attach tty output of \`echo tty-${protocol}-$((6*7))\``,
          async () => session.stdoutText(),
          (text) => text.includes(`tty-${protocol}-42`),
          { timeout: streamingTimeoutMs() },
        );
        expect(out, 'attach tty output').to.include(`tty-${protocol}-42`);
      });

      // With stdin_once the container's stdin closes when the attached client closes it, so a
      // shell reading stdin exits. WebSocket before v5 has no stdin close signal: closing the
      // connection is how such a client ends its input.
      it('ends a stdin_once container when the client closes stdin', async function () {
        const container = await scope.runContainer(await pod.get(), 'attach-once', withStdin(true), withCommand('sh'));
        const req = { container_id: container.id, stdin: true, stdout: true, stderr: true, tty: false };
        const { url } = await cri().runtime.Attach(req);
        const session = await openStream(scope, protocol, url, req, 'attach');
        session.write('echo before-eof\n');
        await eventually(
          'attach stdout to show `before-eof`',
          async () => session.stdoutText(),
          (text) => text.includes('before-eof'),
          { timeout: streamingTimeoutMs() },
        );
        endInput(protocol, session);
        const status = await waitForContainerState(container.id, 'CONTAINER_EXITED', { timeout: streamingTimeoutMs() });
        expect(status.exit_code, 'ContainerStatus.exit_code of `sh` after stdin closed').to.equal(0);
      });
    });
  });
});
