// Mutants of the container, exec, logs and resources areas.
import * as grpc from '@grpc/grpc-js';
import {
  failWhen,
  keepOnlyRunLabel,
  noop,
  notFoundUnlessCreated,
  onRequest,
  onResponse,
  swallow,
  type Mutant,
} from './mutant.js';

export const CONTAINER_MUTANTS: Mutant[] = [
  {
    // The CreateContainer tests must make CreateContainer themselves (as the call under test), so
    // that the runtime's refusal is a conformance failure, never a harness error of a fixture.
    name: 'create-container-refuses-annotations',
    groups: ['container'],
    violates: 'CreateContainer creates a container whose config carries annotations',
    caughtBy: [
      'create-container.puts-containers-pod-network-namespace',
      'create-container.creates-container-again-same-pod',
      'create-container.creates-container-container-created-metadata',
      'create-container.reports-image-ref-names-image',
      'create-container.runs-command-followed-args-container',
      'create-container.sets-envs-container-process-environment',
      'create-container.starts-process-working-dir',
    ],
    expect: /CreateContainer → INVALID_ARGUMENT/,
    failuresOnly: true,
    ...failWhen(
      'CreateContainer',
      grpc.status.INVALID_ARGUMENT,
      'annotations are not accepted',
      (req) => Object.keys((req.config as { annotations?: object } | undefined)?.annotations ?? {}).length > 0,
    ),
  },
  {
    name: 'container-running-reported-created',
    groups: ['container'],
    violates: 'ContainerStatus reports CONTAINER_RUNNING after StartContainer',
    caughtBy: ['start-container.moves-container-container-running-started'],
    expect: /ContainerStatus\.state|CONTAINER_RUNNING/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status?.state === 'CONTAINER_RUNNING') res.status.state = 'CONTAINER_CREATED';
    }),
  },
  {
    name: 'container-exit-code-wrong',
    groups: ['container'],
    violates: 'ContainerStatus reports the exit code of the process',
    caughtBy: ['start-container.reports-container-exited-exit-code'],
    expect: /ContainerStatus\.exit_code/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status?.state === 'CONTAINER_EXITED') res.status.exit_code = res.status.exit_code === 0 ? 1 : 0;
    }),
  },
  {
    // The second of StartContainer's two exiting containers, each made by its own test: that test
    // must read its own container's status.
    name: 'container-exit-code-zero-wrong',
    groups: ['container'],
    violates: 'ContainerStatus reports exit code 0 for a process that succeeds',
    caughtBy: ['start-container.reports-exit-code-0-process'],
    expect: /ContainerStatus\.exit_code/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status?.state === 'CONTAINER_EXITED' && res.status.exit_code === 0) res.status.exit_code = 1;
    }),
  },
  {
    name: 'removed-container-still-reported',
    groups: ['container'],
    violates: 'RemoveContainer removes an exited container: ContainerStatus no longer finds it',
    caughtBy: ['remove-container.removes-exited-container'],
    expect: /ContainerStatus of the removed exited container/,
    ...swallow('ContainerStatus', grpc.status.NOT_FOUND, { status: { state: 'CONTAINER_EXITED' } }),
  },
  {
    name: 'container-labels-dropped',
    groups: ['container'],
    violates: 'ContainerStatus returns the labels the container was created with',
    caughtBy: ['create-container.creates-container-container-created-metadata'],
    expect: /ContainerStatus\.labels|Container\.labels/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status) res.status.labels = {};
    }),
  },
  {
    name: 'container-envs-dropped',
    groups: ['container'],
    violates: 'CreateContainer sets ContainerConfig.envs in the process environment',
    caughtBy: ['create-container.sets-envs-container-process-environment'],
    expect: /env/i,
    ...onRequest('CreateContainer', (req) => {
      if (req.config) req.config.envs = [];
    }),
  },
  {
    name: 'container-working-dir-ignored',
    groups: ['container'],
    violates: 'CreateContainer starts the process in ContainerConfig.working_dir',
    caughtBy: ['create-container.starts-process-working-dir'],
    expect: /working director|working_dir/i,
    ...onRequest('CreateContainer', (req) => {
      if (req.config) req.config.working_dir = '';
    }),
  },
  {
    name: 'container-stop-does-nothing',
    groups: ['container-stop'],
    violates: 'StopContainer stops the container',
    caughtBy: ['stop-container.stops-process-exits-sigterm-well'],
    expect: /ContainerStatus|CONTAINER_EXITED|exit_code/,
    ...noop('StopContainer'),
  },
  {
    name: 'container-remove-unknown-not-found',
    groups: ['container-stop'],
    violates: 'RemoveContainer is idempotent: an id that never existed is not an error',
    caughtBy: ['remove-container.accepts-id-never-existed'],
    expect: /RemoveContainer.*NOT_FOUND/,
    ...notFoundUnlessCreated('CreateContainer', 'container_id', 'RemoveContainer', 'container_id'),
  },
  {
    name: 'container-status-log-path-dropped',
    groups: ['container-status'],
    violates: 'ContainerStatus reports the log path the container was created with',
    caughtBy: ['container-status.reports-log-path-container-was'],
    expect: /ContainerStatus\.log_path/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status) res.status.log_path = '';
    }),
  },
  {
    name: 'container-status-mounts-dropped',
    groups: ['container-status'],
    violates: 'ContainerStatus reports the mounts the container was created with',
    caughtBy: ['container-status.reports-mounts-container-was-created'],
    expect: /ContainerStatus\.mounts/,
    ...onResponse('ContainerStatus', (res) => {
      if (res.status) res.status.mounts = [];
    }),
  },
  {
    name: 'list-containers-state-filter-ignored',
    groups: ['container-list'],
    violates: 'ListContainers honours filter.state',
    caughtBy: [
      'list-containers.filters-state-created',
      'list-containers.filters-state-running',
      'list-containers.filters-state-exited',
    ],
    expect: /ListContainers|Container\.state|containers/,
    ...onRequest('ListContainers', (req) => {
      if (req.filter) req.filter.state = null;
    }),
  },
  {
    name: 'list-containers-label-filter-ignored',
    groups: ['container-list'],
    violates: 'ListContainers honours filter.label_selector',
    caughtBy: ['list-containers.filters-several-labels-all-which'],
    expect: /ListContainers ids with group/,
    ...onRequest('ListContainers', (req) => {
      if (req.filter) req.filter.label_selector = keepOnlyRunLabel(req.filter.label_selector);
    }),
  },
  {
    name: 'exec-sync-output-truncated',
    groups: ['exec-sync'],
    violates: 'ExecSync returns the whole output of the command',
    caughtBy: ['exec-sync.returns-1-mib-output-whole'],
    expect: /ExecSyncResponse\.stdout/,
    ...onResponse('ExecSync', (res) => {
      res.stdout = Buffer.from(res.stdout).subarray(0, 64 * 1024);
    }),
  },
  {
    name: 'exec-sync-exit-code-zero',
    groups: ['exec-sync'],
    violates: 'ExecSync returns the non-zero exit code of the command',
    caughtBy: ['exec-sync.returns-non-zero-exit-code'],
    expect: /ExecSyncResponse\.exit_code/,
    ...onResponse('ExecSync', (res) => (res.exit_code = 0)),
  },
  {
    name: 'exec-sync-stderr-into-stdout',
    groups: ['exec-sync'],
    violates: 'ExecSync returns stdout and stderr apart',
    caughtBy: ['exec-sync.returns-stdout-stderr-apart-byte'],
    expect: /ExecSyncResponse\.std(out|err)/,
    ...onResponse('ExecSync', (res) => {
      res.stdout = Buffer.concat([Buffer.from(res.stdout), Buffer.from(res.stderr)]);
      res.stderr = Buffer.alloc(0);
    }),
  },
  {
    name: 'exec-sync-unknown-container-ok',
    groups: ['exec-sync'],
    violates: 'ExecSync fails for a container that does not exist',
    caughtBy: ['exec-sync.fails-unknown-container-id'],
    expect: /ExecSync/,
    unary: {
      ExecSync: async (req, forward) => {
        try {
          return await forward(req);
        } catch (err) {
          if ((err as { code?: number }).code === grpc.status.NOT_FOUND)
            return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exit_code: 0 };
          throw err;
        }
      },
    },
  },
  {
    // Of the log containers, each made by the test that reads it, the test of the last two reads
    // the files at their own log_path.
    name: 'log-path-ignored',
    groups: ['container-logs'],
    violates: 'CreateContainer writes the log to log_directory/log_path',
    caughtBy: ['create-container.keeps-logs-two-containers-pod'],
    expect: /an entry in log-two/,
    ...onRequest('CreateContainer', (req) => {
      if (req.config?.log_path) req.config.log_path = `elsewhere/${req.config.log_path}`;
    }),
  },
  {
    name: 'reopen-log-does-nothing',
    groups: ['container-logs'],
    violates: 'ReopenContainerLog sends new output to a new file at log_path',
    caughtBy: ['reopen-container-log.sends-new-output-new-file'],
    expect: /log/i,
    ...noop('ReopenContainerLog'),
  },
  {
    name: 'update-resources-does-nothing',
    groups: ['container-resources'],
    violates: 'UpdateContainerResources changes the cgroup limits of a running container',
    caughtBy: ['update-container-resources.changes-cgroup-limits-running-container'],
    expect: /cpu|memory|cgroup/i,
    ...noop('UpdateContainerResources'),
  },
];
