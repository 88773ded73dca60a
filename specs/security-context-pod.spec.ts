// LinuxSandboxSecurityContext of RunPodSandbox: run_as_user, run_as_group, supplemental_groups,
// readonly_rootfs and seccomp of the sandbox itself. They apply to the sandbox's own process (the
// pause process of a runc/crun runtime), not to the pod's containers, so each test reads that
// process from a container of the pod that shares its PID namespace (pid POD): /proc/1 there is
// the sandbox process, unless the sandbox runs none.
import { expect } from 'chai';
import {
  containerConfig,
  expectError,
  itId,
  mountAt,
  parseMounts,
  type Pod,
  type ProcStatus,
  procStatusFrom,
  requireUnfilteredHost,
  rpc,
  runPodUnderTest,
  type Scope,
  uniqueName,
  shellParts,
  skipWithReason,
  useScope,
  withHostMarker,
  withPodNamespaces,
  withPodSecurityContext,
} from '../src/framework/index.js';
import type { LinuxSandboxSecurityContext } from '../src/generated/runtime/v1/LinuxSandboxSecurityContext.js';

/** What a container of the pod sees of the sandbox process: PID 1 of the shared PID namespace. */
interface SandboxProcess {
  status: ProcStatus;
  /** Options of the mount at `/` in the sandbox process's mount namespace (/proc/1/mounts). */
  rootOptions: string[];
}

/**
 * RunPodSandbox (the call under test) of a pid POD pod with `sc`, then a container of the pod
 * sharing its PID namespace, and what it reads of PID 1. Skips when PID 1 is the container's own
 * command: api.proto says the sandbox context "may not be applicable to a PodSandbox which does
 * not contain any running process", and there is nothing to observe then.
 */
async function sandboxProcessOf(
  test: Mocha.Context,
  scope: Scope,
  slug: string,
  sc: LinuxSandboxSecurityContext,
): Promise<SandboxProcess> {
  const pod = await runPodUnderTest(
    scope,
    slug,
    withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' }, ...sc }),
  );
  return readSandboxProcess(test, scope, pod);
}

async function readSandboxProcess(test: Mocha.Context, scope: Scope, pod: Pod): Promise<SandboxProcess> {
  const marker = uniqueName('sandbox-viewer');
  const { id } = await scope.runContainer(
    pod,
    containerConfig('sandbox-viewer', withPodNamespaces(pod), withHostMarker(marker)),
  );
  const { parts, stderr } = await shellParts(id, {
    init: "tr '\\0' ' ' < /proc/1/cmdline",
    status: 'cat /proc/1/status',
    mounts: 'cat /proc/1/mounts',
  });
  if (parts.init.exitCode !== 0) throw new Error(`cannot read /proc/1/cmdline in the pod: ${stderr}`);
  if (parts.init.stdout.includes(marker))
    skipWithReason(
      test,
      `unsupported: cannot observe the sandbox process: PID 1 of a pid POD container of the pod is the container's own command (${parts.init.stdout.trim()}): no sandbox process shares its PID namespace`,
    );
  if (parts.status.exitCode !== 0) throw new Error(`cat /proc/1/status exited ${parts.status.exitCode}: ${stderr}`);
  if (parts.mounts.exitCode !== 0) throw new Error(`cat /proc/1/mounts exited ${parts.mounts.exitCode}: ${stderr}`);
  const root = mountAt(parseMounts(parts.mounts.stdout), '/');
  if (!root) throw new Error(`/proc/1/mounts of the sandbox process lists no mount at /:\n${parts.mounts.stdout}`);
  return { status: procStatusFrom(parts.status.stdout), rootOptions: root.options };
}

describe('Security context', function () {
  const scope = useScope();

  rpc('RunPodSandbox', { feature: 'config.linux.security_context' }, function () {
    // api.proto LinuxSandboxSecurityContext.run_as_user: "UID to run sandbox processes as, when
    // applicable."
    itId(
      'run-pod-sandbox.runs-sandbox-process-run-user',
      'runs the sandbox process as the pod run_as_user [linux]',
      async function () {
        const { status } = await sandboxProcessOf(this, scope, 'pod-run-as-user', { run_as_user: { value: '1234' } });
        expect(status.fields.Uid, 'Uid (real, effective, saved, fs) of the sandbox process, /proc/1/status').to.match(
          /^1234\s+1234\s+1234\s+1234$/,
        );
      },
      { feature: 'config.linux.security_context.run_as_user' },
    );

    // api.proto LinuxSandboxSecurityContext.run_as_group: "GID to run sandbox processes as, when
    // applicable."
    itId(
      'run-pod-sandbox.runs-sandbox-process-run-group',
      'runs the sandbox process with the pod run_as_group as its group [linux]',
      async function () {
        const { status } = await sandboxProcessOf(this, scope, 'pod-run-as-group', {
          run_as_user: { value: '1234' },
          run_as_group: { value: '4321' },
        });
        expect(status.fields.Gid, 'Gid (real, effective, saved, fs) of the sandbox process, /proc/1/status').to.match(
          /^4321\s+4321\s+4321\s+4321$/,
        );
      },
      { feature: 'config.linux.security_context.run_as_group' },
    );

    // api.proto LinuxSandboxSecurityContext.run_as_group: "run_as_group should only be specified
    // when run_as_user is specified; otherwise, the runtime MUST error."
    itId(
      'run-pod-sandbox.rejects-pod-run-group-without-run-user',
      'rejects a pod run_as_group without run_as_user [linux]',
      async function () {
        const err = await expectError(
          runPodUnderTest(scope, 'pod-group-alone', withPodSecurityContext({ run_as_group: { value: '4321' } })),
          'RunPodSandbox with a pod run_as_group but no run_as_user',
        );
        expect(err.rpc, 'the failing RPC').to.equal('RunPodSandbox');
      },
      { feature: 'config.linux.security_context.run_as_group' },
    );

    // api.proto LinuxSandboxSecurityContext.supplemental_groups: "List of groups applied to the
    // first process run in each container." The message "does not apply to containers in the
    // pods": its container is the sandbox, whose first process is the sandbox process. Kubelet
    // sends the groups alone and with a run_as_user; the proto applies them either way.
    const groupCases = [
      { id: 'sandbox-process', title: '', sc: {} },
      { id: 'sandbox-process-run-user', title: ' with a pod run_as_user', sc: { run_as_user: { value: '1234' } } },
    ];
    for (const c of groupCases) {
      itId(
        `run-pod-sandbox.adds-supplemental-groups-${c.id}`,
        `adds the pod supplemental_groups to the sandbox process${c.title} [linux]`,
        async function () {
          const { status } = await sandboxProcessOf(this, scope, 'pod-groups', {
            ...c.sc,
            supplemental_groups: ['1111', '2222'],
          });
          expect(
            (status.fields.Groups ?? '').split(/\s+/),
            `Groups of the sandbox process, /proc/1/status (pod supplemental_groups [1111, 2222]${c.title})`,
          ).to.include.members(['1111', '2222']);
        },
        { feature: 'config.linux.security_context.supplemental_groups' },
      );
    }

    // api.proto LinuxSandboxSecurityContext.readonly_rootfs: "If set, the root filesystem of the
    // sandbox is read-only."
    itId(
      'run-pod-sandbox.makes-sandbox-root-filesystem-read-only',
      'makes the root filesystem of the sandbox read-only under the pod readonly_rootfs [linux]',
      async function () {
        const { rootOptions } = await sandboxProcessOf(this, scope, 'pod-readonly-rootfs', { readonly_rootfs: true });
        expect(rootOptions, 'options of the mount at / of the sandbox process, /proc/1/mounts').to.include('ro');
      },
      { feature: 'config.linux.security_context.readonly_rootfs' },
    );

    // api.proto LinuxSandboxSecurityContext.seccomp: "Seccomp profile for the sandbox."
    // SecurityProfile RuntimeDefault: "The container runtime default profile should be used."
    // A seccomp profile is a filter: /proc/<pid>/status Seccomp 2 (SECCOMP_MODE_FILTER).
    itId(
      'run-pod-sandbox.filters-sandbox-process-seccomp-runtime-default',
      'puts the sandbox process under a seccomp filter with the pod seccomp RuntimeDefault [linux]',
      async function () {
        const { status } = await sandboxProcessOf(this, scope, 'pod-seccomp-default', {
          seccomp: { profile_type: 'RuntimeDefault' },
        });
        expect(status.fields.Seccomp, 'Seccomp mode of the sandbox process, /proc/1/status (2: filter)').to.equal('2');
      },
      { feature: 'config.linux.security_context.seccomp' },
    );

    // api.proto SecurityProfile Unconfined: "Disable the feature for the sandbox or the container."
    itId(
      'run-pod-sandbox.leaves-sandbox-process-unfiltered-seccomp-unconfined',
      'leaves the sandbox process without a seccomp filter with the pod seccomp Unconfined [linux]',
      async function () {
        requireUnfilteredHost(this);
        const { status } = await sandboxProcessOf(this, scope, 'pod-seccomp-unconfined', {
          seccomp: { profile_type: 'Unconfined' },
        });
        expect(status.fields.Seccomp, 'Seccomp mode of the sandbox process, /proc/1/status (0: none)').to.equal('0');
      },
      { feature: 'config.linux.security_context.seccomp' },
    );
  });
});
