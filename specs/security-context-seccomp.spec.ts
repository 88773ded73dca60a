// LinuxContainerSecurityContext.seccomp: RuntimeDefault, Unconfined and Localhost profiles,
// observed in /proc/self/status (Seccomp: 0 none, 2 filter) and in syscalls that fail or succeed.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  containerConfig,
  containerProcStatus,
  createRequest,
  cri,
  endpointIsLocal,
  expectError,
  itId,
  perTest,
  probeSeccomp,
  requireLocalRuntime,
  requireUnfilteredHost,
  rpc,
  runningIn,
  runUnderTestIn,
  shellIn,
  skipWithReason,
  useScope,
  useWorkerPod,
  withSecurityContext,
  writeNoMkdirProfile,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  const privilegedPod = useWorkerPod('privileged');
  // One container per profile type: the Seccomp field and unshare are different facts of one config.
  const runtimeDefault = perTest(
    runningIn(pod, 'seccomp-default', withSecurityContext({ seccomp: { profile_type: 'RuntimeDefault' } })),
  );
  const unconfined = perTest(
    runningIn(pod, 'seccomp-unconfined', withSecurityContext({ seccomp: { profile_type: 'Unconfined' } })),
  );

  rpc('CreateContainer', { feature: 'config.linux.security_context.seccomp' }, function () {
    // api.proto SecurityProfile.RuntimeDefault: "The container runtime default profile should be used."
    it('applies a seccomp filter with profile_type RuntimeDefault [linux]', async function () {
      const { id } = await runtimeDefault.get();
      const { fields } = await containerProcStatus(id);
      expect(fields.Seccomp, '/proc/self/status Seccomp (2 = filter) under RuntimeDefault').to.equal('2');
    });

    // api.proto SecurityProfile.Unconfined: "Disable the feature for the sandbox or the container."
    it('applies no seccomp filter with profile_type Unconfined [linux]', async function () {
      requireUnfilteredHost(this);
      const { id } = await unconfined.get();
      const { fields } = await containerProcStatus(id);
      expect(fields.Seccomp, '/proc/self/status Seccomp (0 = disabled) under Unconfined').to.equal('0');
    });

    // RuntimeDefault is "the container runtime default profile"; every runtime default profile
    // (moby, containerd, CRI-O) denies unshare() to a process without CAP_SYS_ADMIN, which
    // Unconfined ("Disable the feature") lets create a user namespace.
    it('blocks unshare with RuntimeDefault where Unconfined allows it [linux]', async function () {
      requireUnfilteredHost(this);
      if (endpointIsLocal() && readFileSync('/proc/sys/user/max_user_namespaces', 'utf8').trim() === '0') {
        skipWithReason(this, 'host lacks user namespaces: /proc/sys/user/max_user_namespaces is 0');
      }
      const { id: open } = await unconfined.get();
      const allowed = await shellIn(open, 'unshare -U true');
      expect(
        allowed.exitCode,
        `exit code of \`unshare -U true\` under Unconfined (stderr: ${allowed.stderr})`,
      ).to.equal(0);
      const { id: filtered } = await runtimeDefault.get();
      const blocked = await shellIn(filtered, 'unshare -U true');
      expect(
        blocked.exitCode,
        `exit code of \`unshare -U true\` under RuntimeDefault (stderr: ${blocked.stderr})`,
      ).to.not.equal(0);
    });

    // api.proto SecurityProfile.Localhost: "A pre-defined profile on the node should be used";
    // localhost_ref: "For seccomp, it must be an absolute path to the seccomp profile."
    it('applies a Localhost seccomp profile from localhost_ref [linux]', async function () {
      requireLocalRuntime(this, 'a profile file on the host');
      const profile = writeNoMkdirProfile(scope, 'seccomp');
      const id = await runUnderTestIn(
        scope,
        pod,
        'seccomp-localhost',
        withSecurityContext({ seccomp: { profile_type: 'Localhost', localhost_ref: profile } }),
      );
      const seen = await probeSeccomp(id);
      expect(seen.seccomp, '/proc/self/status Seccomp under the Localhost profile').to.equal('2');
      expect(seen.touch, `exit code of touch, which the profile allows (stderr: ${seen.stderr})`).to.equal(0);
      expect(seen.mkdir, `exit code of mkdir, which the profile denies (stderr: ${seen.stderr})`).to.not.equal(0);
    });

    // api.proto LinuxContainerSecurityContext.privileged: "Privileged mode implies the following
    // specific options are applied: … 5. Seccomp restrictions are not applied." A profile that
    // denies mkdir must leave a privileged container's mkdir working (critest's "should ignore a
    // seccomp profile that blocks setting hostname when privileged").
    itId(
      'create-container.privileged-ignores-seccomp-profile',
      'applies no seccomp profile to a privileged container, even a Localhost one [linux]',
      async function () {
        requireLocalRuntime(this, 'a profile file on the host');
        requireUnfilteredHost(this);
        const profile = writeNoMkdirProfile(scope, 'seccomp-priv');
        const id = await runUnderTestIn(
          scope,
          privilegedPod,
          'seccomp-privileged',
          withSecurityContext({ privileged: true, seccomp: { profile_type: 'Localhost', localhost_ref: profile } }),
        );
        const seen = await probeSeccomp(id);
        expect(seen.seccomp, '/proc/self/status Seccomp of a privileged container given a Localhost profile').to.equal(
          '0',
        );
        expect(
          seen.mkdir,
          `exit code of mkdir, which the profile denies but privileged must not apply (stderr: ${seen.stderr})`,
        ).to.equal(0);
      },
      { feature: 'config.linux.security_context.privileged' },
    );

    // api.proto localhost_ref: "it must be an absolute path to the seccomp profile"; a path with
    // no profile cannot be applied.
    it('rejects a Localhost seccomp profile that does not exist [linux]', async function () {
      const missing = `/nonexistent-crit-${randomUUID()}/profile.json`;
      const req = await createRequest(
        await pod.get(),
        containerConfig(
          'seccomp-missing',
          withSecurityContext({ seccomp: { profile_type: 'Localhost', localhost_ref: missing } }),
        ),
      );
      await expectError(
        cri()
          .runtime.CreateContainer(req)
          .then((res) => scope.trackContainer(res.container_id)),
        `CreateContainer with seccomp localhost_ref ${missing}`,
      );
    });
  });
});
