// Mutants of the resources beyond CPU time and memory (cpuset, OOM score, huge pages, unified,
// swap) and of the pod's cgroups: a runtime that ignores one field of the request.
import * as grpc from '@grpc/grpc-js';
import type { Msg } from './behaviour.js';
import { failWhen, onRequest, type Mutant } from './mutant.js';

/** The LinuxContainerResources of a CreateContainer request, if it has any. */
const createResources = (req: Msg): Msg | undefined => req.config?.linux?.resources;

export const RESOURCES_MUTANTS: Mutant[] = [
  {
    name: 'resources-cpuset-ignored',
    groups: ['container-resources-extra'],
    violates: 'CreateContainer confines the container to cpuset_cpus and cpuset_mems',
    caughtBy: ['create-container.resources-cpuset-cpus'],
    expect: /Cpus_allowed_list|cpuset/,
    ...onRequest('CreateContainer', (req) => {
      const r = createResources(req);
      if (r) Object.assign(r, { cpuset_cpus: '', cpuset_mems: '' });
    }),
  },
  {
    name: 'resources-oom-score-adj-ignored',
    groups: ['container-resources-extra'],
    violates: "CreateContainer sets the container process's oom_score_adj",
    caughtBy: ['create-container.resources-oom-score-adj'],
    expect: /oom_score_adj/,
    ...onRequest('CreateContainer', (req) => {
      const r = createResources(req);
      if (r) r.oom_score_adj = '0';
    }),
  },
  {
    name: 'resources-hugepage-limits-ignored',
    groups: ['container-resources-extra'],
    violates: 'CreateContainer writes hugepage_limits to the hugetlb cgroup files',
    caughtBy: ['create-container.resources-hugepage-limits'],
    expect: /hugetlb/,
    ...onRequest('CreateContainer', (req) => {
      const r = createResources(req);
      if (r) r.hugepage_limits = [];
    }),
  },
  {
    name: 'resources-swap-limit-ignored',
    groups: ['container-resources-extra'],
    violates: 'CreateContainer sets the swap limit of memory_swap_limit_in_bytes',
    caughtBy: ['create-container.resources-memory-swap-limit'],
    expect: /memsw|swap/,
    ...onRequest('CreateContainer', (req) => {
      const r = createResources(req);
      if (r) r.memory_swap_limit_in_bytes = '0';
    }),
  },
  {
    name: 'resources-unified-ignored',
    groups: ['container-resources-extra'],
    violates: 'CreateContainer and UpdateContainerResources write the unified cgroup v2 keys',
    caughtBy: ['create-container.resources-unified', 'update-container-resources.changes-unified'],
    expect: /pids\.max|memory\.high/,
    survives: 'on a cgroup v1 host (the test bed) the unified tests skip',
    unary: {
      CreateContainer: async (req, forward) => {
        const r = createResources(req);
        if (r) r.unified = {};
        return forward(req);
      },
      UpdateContainerResources: async (req, forward) => {
        if (req.linux) req.linux.unified = {};
        return forward(req);
      },
    },
  },
  {
    name: 'update-resources-ignores-cpuset',
    groups: ['container-resources-extra'],
    violates: 'UpdateContainerResources changes the CPUs a running container may use',
    caughtBy: ['update-container-resources.changes-cpuset-cpus'],
    expect: /Cpus_allowed_list/,
    ...onRequest('UpdateContainerResources', (req) => {
      if (req.linux) req.linux.cpuset_cpus = '';
    }),
  },
  {
    name: 'pod-cgroup-parent-ignored',
    groups: ['pod-resources'],
    violates: "RunPodSandbox puts the pod's containers under its cgroup_parent",
    caughtBy: ['run-pod-sandbox.puts-containers-under-cgroup-parent'],
    expect: /cgroup_parent/,
    // containerd takes a container's cgroup parent from CreateContainer's sandbox_config, so both go.
    unary: {
      RunPodSandbox: async (req, forward) => {
        if (req.config?.linux) req.config.linux.cgroup_parent = '';
        return forward(req);
      },
      CreateContainer: async (req, forward) => {
        if (req.sandbox_config?.linux) req.sandbox_config.linux.cgroup_parent = '';
        return forward(req);
      },
    },
  },
  {
    name: 'pod-resources-refused',
    groups: ['pod-resources'],
    violates: 'RunPodSandbox runs a pod whose config carries pod-level resources and overhead',
    caughtBy: ['run-pod-sandbox.runs-pod-with-resources-overhead'],
    expect: /RunPodSandbox/,
    ...failWhen('RunPodSandbox', grpc.status.INVALID_ARGUMENT, 'pod-level resources are not supported', (req) =>
      Boolean(req.config?.linux?.resources || req.config?.linux?.overhead),
    ),
  },
];
