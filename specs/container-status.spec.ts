// RuntimeService ContainerStatus: mounts, log_path, verbose info and an unknown id (image_id is
// checked against PullImage in image-pull.spec.ts);
// containers sharing the pod's network namespace; a restarted container (attempt + 1).
import { join } from 'node:path';
import { expect } from 'chai';
import {
  containerConfig,
  containerRunning,
  cri,
  ctx,
  endpointIsLocal,
  eventually,
  expectCode,
  findOne,
  hostTempDir,
  itId,
  type Pod,
  podOf,
  podReady,
  requireLocalRuntime,
  rpc,
  runningIn,
  type Shared,
  shared,
  shellIn,
  unknownId,
  useScope,
  waitForContainerState,
  withAttempt,
  withImage,
  withImageDefaults,
  withLogDirectory,
  withLogPath,
  withMounts,
  withShell,
} from '../src/framework/index.js';

describe('Container', function () {
  const scope = useScope();
  // The pod of the tests that only need somewhere to run their containers, with a log directory
  // when the runtime shares this host (for the log path test); the restart test lists the
  // containers of its pod: its own pod.
  const sharedPod: Shared<Pod> = shared(
    podOf('container-status', (cfg) => {
      if (endpointIsLocal()) withLogDirectory(hostTempDir(sharedPod.scope, 'status-log'))(cfg);
    }),
    podReady,
  );
  // The created (never started) container whose status the mounts and log path tests read, each
  // its own fields; neither changes it. Its bind-mount sources are this host's directories.
  const created = shared(async () => {
    const pod = await sharedPod.get();
    const rw = hostTempDir(sharedPod.scope, 'status-rw');
    const ro = hostTempDir(sharedPod.scope, 'status-ro');
    const container = await sharedPod.scope.createContainer(
      pod,
      'status-created',
      withLogPath('status/0.log'),
      withMounts(
        { container_path: '/mnt/crit-rw', host_path: rw, readonly: false },
        { container_path: '/mnt/crit-ro', host_path: ro, readonly: true },
      ),
    );
    return { container, rw, ro, logDirectory: pod.config.log_directory ?? '' };
  });
  // A running container that tests only read (its verbose status) or run a command in (the client
  // of the shared network namespace test).
  const running = shared(runningIn(sharedPod, 'status-running'), containerRunning);

  rpc('ContainerStatus', function () {
    // api.proto ContainerStatus.mounts: "Mounts for the container."
    itId(
      'container-status.reports-mounts-container-was-created',
      'reports the mounts the container was created with',
      async function () {
        requireLocalRuntime(this, 'bind-mount source directories');
        const { container: c, rw, ro } = await created.get();
        const { status } = await cri().runtime.ContainerStatus({ container_id: c.id });
        const mounts = status?.mounts ?? [];
        const mrw = findOne(
          mounts,
          (m) => m.container_path === '/mnt/crit-rw',
          'ContainerStatus.mounts entry for /mnt/crit-rw',
        );
        const mro = findOne(
          mounts,
          (m) => m.container_path === '/mnt/crit-ro',
          'ContainerStatus.mounts entry for /mnt/crit-ro',
        );
        expect([mrw.host_path, mrw.readonly], 'ContainerStatus.mounts[/mnt/crit-rw] host_path, readonly').to.deep.equal(
          [rw, false],
        );
        expect([mro.host_path, mro.readonly], 'ContainerStatus.mounts[/mnt/crit-ro] host_path, readonly').to.deep.equal(
          [ro, true],
        );
      },
    );

    // api.proto ContainerStatus.log_path: "Log path of container."; ContainerConfig.log_path:
    // "Path relative to PodSandboxConfig.LogDirectory for container to store the log".
    itId(
      'container-status.reports-log-path-container-was',
      'reports the log path the container was created with',
      async function () {
        requireLocalRuntime(this, 'a pod log directory');
        const { container: c, logDirectory: dir } = await created.get();
        const { status } = await cri().runtime.ContainerStatus({ container_id: c.id });
        expect(
          status?.log_path,
          'ContainerStatus.log_path (as sent, or joined with the pod log_directory)',
        ).to.be.oneOf(['status/0.log', join(dir, 'status/0.log')]);
      },
    );

    // api.proto ContainerStatusResponse.info: "It should only be returned non-empty when Verbose is true."
    itId(
      'container-status.returns-debug-info-verbose-none-otherwise',
      'returns debug info when verbose and none otherwise',
      async function () {
        const container = await running.get();
        const verbose = await cri().runtime.ContainerStatus({ container_id: container.id, verbose: true });
        expect(
          Object.keys(verbose.info),
          'ContainerStatusResponse.info keys with verbose=true',
        ).to.have.length.greaterThan(0);
        const plain = await cri().runtime.ContainerStatus({ container_id: container.id, verbose: false });
        expect(plain.info, 'ContainerStatusResponse.info with verbose=false').to.deep.equal({});
      },
      { feature: 'verbose' },
    );

    // api.proto ContainerStatus: "If the container is not present, returns an error." kubelet tells
    // a missing container from other failures by the gRPC code NotFound.
    it('returns NOT_FOUND for an unknown container id', async function () {
      await expectCode(
        cri().runtime.ContainerStatus({ container_id: unknownId() }),
        'NOT_FOUND',
        'ContainerStatus of an unknown id',
      );
    });
  });

  rpc('CreateContainer', function () {
    // api.proto NamespaceOption.network POD: "A container with this NamespaceMode will have the
    // same network namespace as the pod" — containers of one pod talk over localhost.
    itId(
      'create-container.puts-containers-pod-network-namespace',
      'puts containers of one pod in one network namespace (localhost reaches the other)',
      async function () {
        const pod = await sharedPod.get();
        const [client] = await Promise.all([
          running.get(),
          scope.runContainer(pod, 'shared-net-web', withImage(ctx().images.web), withImageDefaults()),
        ]);
        const page = await eventually(
          'the web container to answer on 127.0.0.1:80 from the other container',
          () => shellIn(client.id, 'wget -q -O - http://127.0.0.1:80/', 20),
          (r) => r.exitCode === 0,
          { timeout: 30_000 },
        );
        expect(page.stdout, 'body fetched from http://127.0.0.1:80/ in the other container').to.equal(
          ctx().images.webIndex,
        );
      },
    );

    // api.proto ContainerMetadata.attempt: "Attempt number of creating the container." kubelet
    // restarts a container by creating it again in the same pod with attempt + 1.
    itId(
      'create-container.creates-container-again-same-pod',
      'creates a container again in the same pod with attempt + 1',
      async function () {
        const pod = await scope.runPod('restart');
        const first = await scope.runContainer(pod, 'restart', withShell('exit 1'));
        await waitForContainerState(first.id, 'CONTAINER_EXITED', { timeout: 30_000 });
        const again = containerConfig('restart', withAttempt(1));
        again.metadata!.name = first.config.metadata!.name;
        const second = await cri().runtime.CreateContainer({
          pod_sandbox_id: pod.id,
          config: again,
          sandbox_config: pod.config,
        });
        scope.trackContainer(second.container_id);
        await cri().runtime.StartContainer({ container_id: second.container_id });
        const status = await waitForContainerState(second.container_id, 'CONTAINER_RUNNING', { timeout: 30_000 });
        expect(status.metadata, 'ContainerStatus.metadata of the restarted container').to.deep.equal({
          name: first.config.metadata!.name,
          attempt: 1,
        });
        const { containers } = await cri().runtime.ListContainers({ filter: { pod_sandbox_id: pod.id } });
        const attempts = containers.map((c) => `${c.metadata?.name}#${c.metadata?.attempt}:${c.state}`).sort();
        const name = first.config.metadata!.name;
        expect(attempts, 'ListContainers of the pod: name#attempt:state').to.deep.equal([
          `${name}#0:CONTAINER_EXITED`,
          `${name}#1:CONTAINER_RUNNING`,
        ]);
      },
      { feature: 'config.metadata.attempt' },
    );
  });
});
