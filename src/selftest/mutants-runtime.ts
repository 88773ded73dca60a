// Mutants of the runtime-info, pod sandbox and stats areas.
import * as grpc from '@grpc/grpc-js';
import {
  failWhen,
  keepOnlyRunLabel,
  noop,
  notFoundOnSecondCall,
  notFoundUnlessCreated,
  onRequest,
  onResponse,
  swallow,
  type Mutant,
} from './mutant.js';

const cpuSeen = new Map<string, string>();

export const RUNTIME_MUTANTS: Mutant[] = [
  {
    name: 'version-api-v1alpha2',
    groups: ['runtime-info'],
    violates: 'Version reports runtime_api_version v1 for runtime.v1',
    caughtBy: ['version.reports-cri-api-version-v1'],
    expect: /VersionResponse\.runtime_api_version/,
    ...onResponse('Version', (res) => (res.runtime_api_version = 'v1alpha2')),
  },
  {
    name: 'status-runtime-not-ready',
    groups: ['runtime-info'],
    violates: 'Status reports the RuntimeReady condition true on a healthy runtime',
    caughtBy: ['status.runtimeready-condition-true'],
    expect: /RuntimeReady\.status/,
    ...onResponse('Status', (res) => {
      for (const c of res.status?.conditions ?? []) if (c.type === 'RuntimeReady') c.status = false;
    }),
  },
  {
    name: 'status-network-condition-dropped',
    groups: ['runtime-info'],
    violates: 'Status includes the required NetworkReady condition',
    caughtBy: ['status.networkready-condition-true'],
    expect: /RuntimeStatus\.conditions\[type=NetworkReady\]/,
    ...onResponse('Status', (res) => {
      if (res.status)
        res.status.conditions = res.status.conditions.filter((c: { type: string }) => c.type !== 'NetworkReady');
    }),
  },
  {
    name: 'status-verbose-info-dropped',
    groups: ['runtime-info'],
    violates: 'Status returns debug info when verbose',
    caughtBy: ['status.returns-debug-info-when-verbose'],
    expect: /StatusResponse\.info keys with verbose=true/,
    ...onResponse('Status', (res) => (res.info = {})),
  },
  {
    name: 'status-info-always',
    groups: ['runtime-config'],
    violates: 'Status returns no debug info unless verbose',
    caughtBy: ['status.returns-no-debug-info-when'],
    expect: /StatusResponse\.info keys with verbose=false/,
    ...onResponse('Status', (res) => (res.info = { ...res.info, config: '{}' })),
  },
  {
    name: 'update-runtime-config-rejects-empty-cidr',
    groups: ['runtime-config'],
    violates: 'UpdateRuntimeConfig accepts an empty pod CIDR',
    caughtBy: ['update-runtime-config.accepts-empty-pod-cidr'],
    expect: /UpdateRuntimeConfig.*INVALID_ARGUMENT/,
    ...failWhen(
      'UpdateRuntimeConfig',
      grpc.status.INVALID_ARGUMENT,
      'pod cidr must not be empty',
      (req) => !req.runtime_config?.network_config?.pod_cidr,
    ),
  },
  {
    name: 'pod-state-notready-while-ready',
    groups: ['pod-sandbox'],
    violates: 'PodSandboxStatus reports SANDBOX_READY after RunPodSandbox',
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    expect: /PodSandboxStatus\.state after RunPodSandbox/,
    ...onResponse('PodSandboxStatus', (res) => {
      if (res.status?.state === 'SANDBOX_READY') res.status.state = 'SANDBOX_NOTREADY';
    }),
  },
  {
    name: 'pod-stop-does-nothing',
    groups: ['pod-sandbox'],
    violates: 'StopPodSandbox stops the sandbox (state SANDBOX_NOTREADY afterwards)',
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    expect: /PodSandboxStatus\.state after StopPodSandbox/,
    leaves: true,
    ...noop('StopPodSandbox'),
  },
  {
    name: 'pod-remove-does-nothing',
    groups: ['pod-sandbox'],
    violates: 'RemovePodSandbox removes the sandbox (PodSandboxStatus NOT_FOUND afterwards)',
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    expect: /PodSandboxStatus of a removed sandbox.*NOT_FOUND/,
    leaves: true,
    ...noop('RemovePodSandbox'),
  },
  {
    name: 'pod-status-wrong-id',
    groups: ['pod-sandbox'],
    violates: 'PodSandboxStatus reports the id of the sandbox asked for',
    caughtBy: ['run-pod-sandbox.runs-ready-sandbox-stops-notready'],
    expect: /PodSandboxStatus\.id/,
    ...onResponse('PodSandboxStatus', (res) => {
      if (res.status) res.status.id = res.status.id.split('').reverse().join('');
    }),
  },
  {
    name: 'pod-stop-unknown-not-found',
    groups: ['pod-sandbox-lifecycle'],
    violates: 'StopPodSandbox is idempotent: an id that never existed is not an error',
    caughtBy: ['stop-pod-sandbox.accepts-id-never-existed'],
    expect: /StopPodSandbox.*NOT_FOUND/,
    survives:
      'containerd 1.6 itself answers NOT_FOUND here (a listed known failure): on the test bed the mutant is the real behaviour',
    ...notFoundUnlessCreated('RunPodSandbox', 'pod_sandbox_id', 'StopPodSandbox', 'pod_sandbox_id'),
  },
  {
    name: 'pod-remove-twice-not-found',
    groups: ['pod-sandbox-lifecycle'],
    violates: 'RemovePodSandbox is idempotent: removing a removed sandbox is not an error',
    caughtBy: ['remove-pod-sandbox.accepts-sandbox-already-removed'],
    expect: /RemovePodSandbox.*NOT_FOUND/,
    ...notFoundOnSecondCall('RemovePodSandbox', 'pod_sandbox_id'),
  },
  {
    name: 'pod-metadata-attempt-changed',
    groups: ['pod-sandbox'],
    violates: 'PodSandboxStatus returns metadata exactly as sent',
    caughtBy: ['pod-sandbox-status.returns-metadata-labels-annotations-exactly'],
    expect: /PodSandboxStatus\.metadata/,
    ...onResponse('PodSandboxStatus', (res) => {
      if (res.status?.metadata) res.status.metadata.attempt += 1;
    }),
  },
  {
    name: 'pod-ip-dropped',
    groups: ['pod-sandbox', 'networking-pod-ip'],
    violates: 'PodSandboxStatus reports the pod IP of a sandbox on the pod network',
    caughtBy: ['pod-sandbox-status.reports-pod-ip-sandbox-pod'],
    expect: /PodSandboxStatus\.network\.ip/,
    ...onResponse('PodSandboxStatus', (res) => {
      if (res.status?.network) res.status.network.ip = '';
    }),
  },
  {
    name: 'list-pods-state-filter-ignored',
    groups: ['pod-sandbox-list'],
    violates: 'ListPodSandbox honours filter.state',
    caughtBy: ['list-pod-sandbox.filters-state-sandbox-notready'],
    expect: /listed with state|ListPodSandbox/,
    ...onRequest('ListPodSandbox', (req) => {
      if (req.filter) req.filter.state = null;
    }),
  },
  {
    name: 'list-pods-label-filter-ignored',
    groups: ['pod-sandbox-list'],
    violates: 'ListPodSandbox honours filter.label_selector',
    // With only the run label left, a focused run lists exactly the describe's pods: "one label"
    // cannot tell; "several labels" names a subset of them and can.
    caughtBy: ['list-pod-sandbox.filters-label', 'list-pod-sandbox.filters-several-labels-all-which'],
    expect: /ListPodSandbox|label/,
    ...onRequest('ListPodSandbox', (req) => {
      if (req.filter) req.filter.label_selector = keepOnlyRunLabel(req.filter.label_selector);
    }),
  },
  {
    name: 'container-stats-wrong-id',
    groups: ['stats'],
    violates: 'ContainerStats.attributes.id is the container asked for',
    caughtBy: ['container-stats.reports-attributes-match-container'],
    expect: /ContainerStats\.attributes\.id/,
    ...onResponse('ContainerStats', (res) => {
      if (res.stats?.attributes) res.stats.attributes.id = '';
    }),
  },
  {
    name: 'container-stats-annotation-added',
    groups: ['stats'],
    violates: 'ContainerAttributes.annotations MUST be identical to the ContainerConfig',
    caughtBy: ['container-stats.reports-attributes-match-container'],
    expect: /ContainerStats\.attributes\.annotations/,
    ...onResponse('ContainerStats', (res) => {
      if (res.stats?.attributes)
        res.stats.attributes.annotations = { ...res.stats.attributes.annotations, 'added-by': 'runtime' };
    }),
  },
  {
    name: 'container-stats-cpu-frozen',
    groups: ['stats'],
    violates: 'ContainerStats cpu usage is cumulative: it grows while the container is busy',
    caughtBy: ['container-stats.reports-cumulative-cpu-usage-grows'],
    expect: /usage_core_nano_seconds/,
    ...onResponse('ContainerStats', (res, req) => {
      const usage = res.stats?.cpu?.usage_core_nano_seconds;
      if (!usage) return;
      if (!cpuSeen.has(req.container_id)) cpuSeen.set(req.container_id, usage.value);
      usage.value = cpuSeen.get(req.container_id);
    }),
  },
  {
    name: 'container-stats-memory-zero',
    groups: ['stats'],
    violates: 'ContainerStats reports a memory working set above zero',
    caughtBy: ['container-stats.reports-memory-working-set-above'],
    expect: /working_set_bytes/,
    ...onResponse('ContainerStats', (res) => {
      if (res.stats?.memory?.working_set_bytes) res.stats.memory.working_set_bytes.value = '0';
    }),
  },
  {
    name: 'container-stats-unknown-ok',
    groups: ['stats'],
    violates: 'ContainerStats of a container that does not exist returns an error',
    caughtBy: ['container-stats.returns-error-unknown-container-id'],
    expect: /ContainerStats of an unknown container id/,
    ...swallow('ContainerStats', grpc.status.NOT_FOUND, { stats: null }),
  },
  {
    name: 'list-container-stats-id-ignored',
    groups: ['stats'],
    violates: 'ListContainerStats honours filter.id',
    caughtBy: ['list-container-stats.filters-container-id'],
    expect: /ListContainerStats\(filter\.id\)/,
    ...onRequest('ListContainerStats', (req) => {
      if (req.filter) req.filter.id = '';
    }),
  },
  {
    name: 'list-container-stats-none-without-filter',
    groups: ['stats'],
    violates: 'ListContainerStats without a filter returns stats of all running containers',
    caughtBy: ['list-container-stats.lists-every-running-without-filter'],
    expect: /ListContainerStats\(\)/,
    unary: {
      ListContainerStats: async (req, forward) => {
        const res = await forward(req);
        const f = req.filter;
        if (!f || (!f.id && !f.pod_sandbox_id && Object.keys(f.label_selector ?? {}).length === 0)) res.stats = [];
        return res;
      },
    },
  },
  {
    name: 'list-container-stats-pod-ignored',
    groups: ['stats'],
    violates: 'ListContainerStats honours filter.pod_sandbox_id',
    caughtBy: ['list-container-stats.filters-pod-sandbox-id-lists'],
    expect: /ListContainerStats\(filter\.pod_sandbox_id\)/,
    ...onRequest('ListContainerStats', (req) => {
      if (req.filter) req.filter.pod_sandbox_id = '';
    }),
  },
  {
    name: 'list-container-stats-label-ignored',
    groups: ['stats'],
    violates: 'ListContainerStats honours filter.label_selector',
    caughtBy: ['list-container-stats.filters-label-selector'],
    expect: /ListContainerStats\(label_selector/,
    ...onRequest('ListContainerStats', (req) => {
      if (req.filter) req.filter.label_selector = keepOnlyRunLabel(req.filter.label_selector);
    }),
  },
  {
    name: 'list-container-stats-or',
    groups: ['stats'],
    violates: 'ListContainerStats combines filter fields with AND',
    caughtBy: ['list-container-stats.combines-filter-fields'],
    expect: /ListContainerStats\(id and another pod\)/,
    ...onRequest('ListContainerStats', (req) => {
      if (req.filter?.id && req.filter.pod_sandbox_id) req.filter.pod_sandbox_id = '';
    }),
  },
];
