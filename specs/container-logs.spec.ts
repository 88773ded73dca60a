// Container logs: output lands in <log_directory>/<log_path> in the CRI log format, and
// ReopenContainerLog after a rotation. The test reads the log file on this host, so it needs a
// runtime on this host.
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  consistently,
  type Container,
  cri,
  eventually,
  expectError,
  hostTempDir,
  itId,
  type Pod,
  podOf,
  podReady,
  readCriLog,
  requireLocalRuntime,
  RFC3339_NANO,
  rpc,
  type Shared,
  shared,
  streamLines,
  together,
  unknownId,
  useScope,
  waitForContainerState,
  withLogDirectory,
  withLogPath,
  withShell,
} from '../src/framework/index.js';

/** The pod's log directory on this host. */
const logDirectory = (pod: Pod): string => pod.config.log_directory!;

/**
 * A container of `script` in the shared pod (which has a log directory), logging to its own
 * `<slug>/0.log`; removed with the pod after the last test.
 */
async function logContainer(
  sharedPod: Shared<Pod>,
  slug: string,
  script: string,
): Promise<{ container: Container; file: string }> {
  const pod = await sharedPod.get();
  const logPath = `${slug}/0.log`;
  const container = await sharedPod.scope.runContainer(pod, slug, withLogPath(logPath), withShell(script));
  return { container, file: join(logDirectory(pod), logPath) };
}

describe('Container logs', function () {
  useScope();
  // One pod with a log directory on this host (made with the pod, removed after it) for every
  // test; each container logs to a log_path of its own in it.
  const sharedPod: Shared<Pod> = shared(
    podOf('logs', (cfg) => withLogDirectory(hostTempDir(sharedPod.scope, 'logs'))(cfg)),
    podReady,
  );

  beforeEach(function () {
    requireLocalRuntime(this, 'reading container log files');
  });

  const LONG_LINE = 64 * 1024;
  const reopenScript = 'i=0; while :; do i=$((i+1)); echo line-$i; sleep 0.1; done';
  // The containers of the tests below, one per test, each made when its test asks (its calls are
  // that test's); each test reads only its own.
  const logged = {
    format: () => exitedLogContainer('log-format', 'echo out-one; echo err-one >&2; echo out-two'),
    long: () => exitedLogContainer('log-long', `head -c ${LONG_LINE} /dev/zero | tr '\\0' x; echo; echo after`),
    two: async () => {
      const pod = await sharedPod.get();
      const both = await together([
        sharedPod.scope.runContainer(pod, 'log-two-a', withLogPath('log-two/a/0.log'), withShell('echo from-a')),
        sharedPod.scope.runContainer(pod, 'log-two-b', withLogPath('log-two/b/0.log'), withShell('echo from-b')),
      ]);
      await together(both.map((c) => waitForContainerState(c.id, 'CONTAINER_EXITED', { timeout: 30_000 })));
      return logDirectory(pod);
    },
    reopen: () => logContainer(sharedPod, 'log-reopen', reopenScript),
    reopenExited: () => exitedLogContainer('log-reopen-exited', 'echo done'),
  };
  /** A container of `script` in the shared pod, once it has exited. */
  async function exitedLogContainer(slug: string, script: string): Promise<{ container: Container; file: string }> {
    const made = await logContainer(sharedPod, slug, script);
    await waitForContainerState(made.container.id, 'CONTAINER_EXITED', { timeout: 30_000 });
    return made;
  }

  rpc('ReopenContainerLog', function () {
    // api.proto ReopenContainerLog: "asks runtime to reopen the stdout/stderr log file for the
    // container. This is often called after the log file has been rotated."
    itId(
      'reopen-container-log.sends-new-output-new-file',
      'sends new output to a new file at log_path after the old one was renamed',
      async function () {
        const { container, file } = await logged.reopen();
        await eventually(
          `a first entry in ${file}`,
          async () => readCriLog(file),
          (e) => e.length > 0,
          { timeout: 30_000 },
        );
        renameSync(file, `${file}.1`);
        await cri().runtime.ReopenContainerLog({ container_id: container.id });
        const fresh = await eventually(
          `new entries in a new ${file}`,
          async () => readCriLog(file),
          (e) => e.length > 0,
          { timeout: 30_000 },
        );
        expect(fresh[0].content, 'first line in the reopened log file').to.match(/^line-\d+$/);
        const size = statSync(`${file}.1`).size;
        // The container writes a line every 0.1 s: five lines' time without one in the old file.
        await consistently(
          `the renamed file ${file}.1 to stay at ${size} bytes`,
          async () => statSync(`${file}.1`).size,
          (s) => s === size,
          500,
          100,
        );
      },
    );

    // api.proto ReopenContainerLog: "If the container is not running, container runtime can choose
    // to either create a new log file and return nil, or return an error. Once it returns error,
    // new container log file MUST NOT be created."
    it('for an exited container either fails and creates no file, or succeeds and creates one', async function () {
      const { container, file } = await logged.reopenExited();
      await eventually(
        `the entry "done" in ${file}`,
        async () => readCriLog(file),
        (e) => e.length > 0,
        { timeout: 10_000 },
      );
      renameSync(file, `${file}.1`);
      const outcome = await cri()
        .runtime.ReopenContainerLog({ container_id: container.id })
        .then(
          () => 'OK',
          (err: Error) => `error (${err.message})`,
        );
      const result = `${outcome.startsWith('OK') ? 'OK' : 'error'} and ${existsSync(file) ? 'a new log file' : 'no new log file'}`;
      expect(result, `ReopenContainerLog of an exited container returned ${outcome}`).to.be.oneOf([
        'OK and a new log file',
        'error and no new log file',
      ]);
    });

    it('fails for an unknown container id', async function () {
      await expectError(
        cri().runtime.ReopenContainerLog({ container_id: unknownId() }),
        'ReopenContainerLog of an unknown id',
      );
    });
  });

  rpc('CreateContainer', { feature: 'config.log_path' }, function () {
    // api.proto ContainerConfig.log_path: "Path relative to PodSandboxConfig.LogDirectory for
    // container to store the log (STDOUT and STDERR) on the host." PodSandboxConfig.log_directory
    // gives the line format: "<RFC3339Nano timestamp> <stream> <tag> <content>" (kubelet's CRI log format).
    it('writes stdout and stderr to log_directory/log_path in the CRI log format', async function () {
      const { file } = await logged.format();
      const entries = await eventually(
        `3 entries in ${file}`,
        async () => readCriLog(file),
        (e) => e.length >= 3,
        { timeout: 10_000 },
      );
      const malformed = entries.filter(
        (e) =>
          !RFC3339_NANO.test(e.timestamp) || !['stdout', 'stderr'].includes(e.stream) || !['P', 'F'].includes(e.tag),
      );
      expect(
        malformed.map((e) => e.raw),
        'log lines not of the form "<RFC3339Nano> <stdout|stderr> <P|F> <content>"',
      ).to.deep.equal([]);
      expect(streamLines(entries, 'stdout'), 'stdout lines in the log').to.deep.equal(['out-one', 'out-two']);
      expect(streamLines(entries, 'stderr'), 'stderr lines in the log').to.deep.equal(['err-one']);
      const ages = entries.map((e) => (Date.now() - Date.parse(e.timestamp)) / 1000);
      expect(
        ages.filter((a) => !(a >= -5 && a <= 120)),
        'log timestamps outside the last two minutes (seconds ago)',
      ).to.deep.equal([]);
    });

    // The CRI log format tags an entry P when the line continues in the next entry of the stream
    // and F when it ends; kubelet joins P entries up to the next F. A runtime may split a long line.
    it('marks every piece of a split long line P except the last, which is F', async function () {
      const { file } = await logged.long();
      const entries = await eventually(
        `the line "after" in ${file}`,
        async () => readCriLog(file),
        (e) => e.some((x) => x.content === 'after'),
        { timeout: 10_000 },
      );
      const stdout = entries.filter((e) => e.stream === 'stdout');
      expect(
        streamLines(entries, 'stdout').map((l) => (l.length > 20 ? `${l.slice(0, 3)}…(${l.length})` : l)),
        'stdout lines reassembled from P/F entries',
      ).to.deep.equal([`xxx…(${LONG_LINE})`, 'after']);
      const pieces = stdout.slice(0, -1).map((e) => e.tag);
      expect(pieces.slice(0, -1), 'tags of the pieces before the last piece of the long line').to.deep.equal(
        pieces.slice(0, -1).map(() => 'P'),
      );
      expect(pieces[pieces.length - 1], 'tag of the last piece of the long line').to.equal('F');
    });

    // api.proto ContainerConfig.log_path: "Path relative to PodSandboxConfig.LogDirectory for
    // container to store the log" — each container of a pod has its own file.
    itId(
      'create-container.keeps-logs-two-containers-pod',
      'keeps the logs of two containers of one pod in their own files',
      async function () {
        const dir = await logged.two();
        const a = await eventually(
          'an entry in log-two/a/0.log',
          async () => readCriLog(join(dir, 'log-two/a/0.log')),
          (e) => e.length > 0,
          { timeout: 10_000 },
        );
        const b = await eventually(
          'an entry in log-two/b/0.log',
          async () => readCriLog(join(dir, 'log-two/b/0.log')),
          (e) => e.length > 0,
          { timeout: 10_000 },
        );
        expect(streamLines(a, 'stdout'), "stdout lines in the first container's log").to.deep.equal(['from-a']);
        expect(streamLines(b, 'stdout'), "stdout lines in the second container's log").to.deep.equal(['from-b']);
      },
    );
  });
});
