// RuntimeService ExecSync: output kept per stream and byte-exact, exit codes, timeouts, large
// output, and containers that cannot run a command.
import { expect } from 'chai';
import {
  containerRunning,
  cri,
  eventually,
  expectError,
  itId,
  rpc,
  runningIn,
  shared,
  shellIn,
  unknownId,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withShell,
} from '../src/framework/index.js';

const hex = (b: Buffer | Uint8Array): string => Buffer.from(b).toString('hex');

describe('Container exec', function () {
  useScope();
  const pod = useWorkerPod();
  // The tests that only run commands share one running container: none stops it, and each looks
  // only at its own command's output or (by its unique argument) its own process.
  const execIn = shared(runningIn(pod, 'exec'), containerRunning);

  rpc('ExecSync', function () {
    // api.proto ExecSyncResponse: stdout "Captured command stdout output."; stderr "Captured
    // command stderr output." (bytes: every byte, not text).
    itId(
      'exec-sync.returns-stdout-stderr-apart-byte',
      'returns stdout and stderr apart and byte-exact',
      async function () {
        const container = await execIn.get();
        const cmd = ['sh', '-c', "printf 'out\\000\\001\\377 line\\n'; printf 'err\\ttwo\\n\\n' >&2; printf 'tail'"];
        const res = await cri().runtime.ExecSync({ container_id: container.id, cmd, timeout: 30 });
        expect(hex(res.stdout), 'ExecSyncResponse.stdout (hex)').to.equal(
          hex(Buffer.from([...Buffer.from('out'), 0, 1, 0xff, ...Buffer.from(' line\ntail')])),
        );
        expect(hex(res.stderr), 'ExecSyncResponse.stderr (hex)').to.equal(hex(Buffer.from('err\ttwo\n\n')));
        expect(res.exit_code, 'ExecSyncResponse.exit_code').to.equal(0);
      },
    );

    // api.proto ExecSyncResponse.exit_code: "Exit code the command finished with."
    itId(
      'exec-sync.returns-non-zero-exit-code',
      'returns the non-zero exit code of the command without an RPC error',
      async function () {
        const container = await execIn.get();
        const res = await cri().runtime.ExecSync({
          container_id: container.id,
          cmd: ['sh', '-c', 'echo before; exit 7'],
          timeout: 30,
        });
        expect(res.exit_code, 'ExecSyncResponse.exit_code').to.equal(7);
        expect(Buffer.from(res.stdout).toString(), 'ExecSyncResponse.stdout').to.equal('before\n');
      },
    );

    // What the tests below make, each in the test that asks: the two timeout tests check two facts
    // of an ExecSync of `sleep 4242` with timeout 1, each with its own call under test; the exited
    // container runs to its exit.
    const slow = {
      timedOut: async () => {
        const container = await execIn.get();
        const started = performance.now();
        const err = await expectError(
          cri().runtime.ExecSync({ container_id: container.id, cmd: ['sleep', '4242'], timeout: 1 }),
          'ExecSync of sleep 4242 with timeout 1',
        );
        return { container, err, seconds: (performance.now() - started) / 1000 };
      },
      exited: async () => {
        const c = await pod.scope.runContainer(await pod.get(), 'exec-exited', withShell('exit 0'));
        await waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 30_000 });
        return c;
      },
    };
    const timedOut = () => slow.timedOut();

    // api.proto ExecSyncRequest.timeout: "Timeout in seconds to stop the command."
    itId(
      'exec-sync.returns-error-once-command-outlives-timeout',
      'returns an error once the command outlives its timeout',
      async function () {
        const { err, seconds } = await timedOut();
        expect(seconds, `seconds until ExecSync (timeout 1) failed with ${err.codeName}`).to.be.within(0.75, 1 + 20);
      },
      { feature: 'timeout' },
    );

    // api.proto ExecSyncRequest.timeout: "Timeout in seconds to stop the command." The command
    // does not keep running after the timeout.
    itId(
      'exec-sync.stops-command-outlived-timeout',
      'stops the command that outlived its timeout',
      async function () {
        const { container } = await timedOut();
        await eventually(
          'the timed-out "sleep 4242" to be gone from the container',
          () => shellIn(container.id, 'ps -o args | grep -c "^sleep 424[2]"'),
          (r) => r.stdout.trim() === '0',
          { timeout: 20_000 },
        );
      },
      { feature: 'timeout' },
    );

    // api.proto ExecSyncResponse.stdout: "The runtime should cap the output of this response to
    // 16MB" — 1 MiB is well below the cap and must arrive whole.
    itId('exec-sync.returns-1-mib-output-whole', 'returns 1 MiB of output whole', async function () {
      const container = await execIn.get();
      const size = 1024 * 1024;
      const res = await cri().runtime.ExecSync({
        container_id: container.id,
        cmd: ['sh', '-c', `yes abcdefghijklmno | head -c ${size}`],
        timeout: 60,
      });
      const expected = Buffer.from('abcdefghijklmno\n'.repeat(size / 16));
      expect(res.stdout.length, 'ExecSyncResponse.stdout length').to.equal(size);
      expect(
        Buffer.compare(Buffer.from(res.stdout), expected),
        'ExecSyncResponse.stdout compared with the 1 MiB pattern (0 = equal)',
      ).to.equal(0);
    });

    // api.proto ExecSync: "runs a command in a container synchronously" — there is no process to
    // run it in once the container has exited.
    it('fails in an exited container', async function () {
      const c = await slow.exited();
      await expectError(
        cri().runtime.ExecSync({ container_id: c.id, cmd: ['echo', 'hi'], timeout: 10 }),
        'ExecSync in an exited container',
      );
    });

    itId('exec-sync.fails-unknown-container-id', 'fails for an unknown container id', async function () {
      await expectError(
        cri().runtime.ExecSync({ container_id: unknownId(), cmd: ['echo', 'hi'], timeout: 10 }),
        'ExecSync with an unknown container id',
      );
    });
  });
});
