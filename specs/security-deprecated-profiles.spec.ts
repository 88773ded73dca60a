// The deprecated profile fields that api.proto still defines, and that older kubelets and other CRI
// clients still send: LinuxContainerSecurityContext.seccomp_profile_path ("runtime/default",
// "unconfined", "localhost/<full-path-to-profile>"), observed in /proc/self/status (Seccomp: 0 none,
// 2 filter) and in a syscall that the localhost profile denies.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  containerProcStatus,
  hostTempDir,
  itId,
  NO_MKDIR_PROFILE,
  PROC_STATUS,
  procStatusFrom,
  requireLocalRuntime,
  requireUnfilteredHost,
  rpc,
  runUnderTestIn,
  shellParts,
  useScope,
  useWorkerPod,
  withSecurityContext,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();

  rpc('CreateContainer', { feature: 'config.linux.security_context.seccomp_profile_path' }, function () {
    // api.proto seccomp_profile_path: "runtime/default: the default profile for the container runtime".
    itId(
      'create-container.seccomp-profile-path-runtime-default',
      'applies a seccomp filter with the deprecated seccomp_profile_path runtime/default [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'seccomp-path-default',
          withSecurityContext({ seccomp_profile_path: 'runtime/default' }),
        );
        const { fields } = await containerProcStatus(id);
        expect(
          fields.Seccomp,
          '/proc/self/status Seccomp (2 = filter) with seccomp_profile_path runtime/default',
        ).to.equal('2');
      },
    );

    // api.proto seccomp_profile_path: "unconfined: unconfined profile, ie, no seccomp sandboxing".
    itId(
      'create-container.seccomp-profile-path-unconfined',
      'applies no seccomp filter with the deprecated seccomp_profile_path unconfined [linux]',
      async function () {
        requireUnfilteredHost(this);
        const id = await runUnderTestIn(
          scope,
          pod,
          'seccomp-path-unconfined',
          withSecurityContext({ seccomp_profile_path: 'unconfined' }),
        );
        const { fields } = await containerProcStatus(id);
        expect(
          fields.Seccomp,
          '/proc/self/status Seccomp (0 = disabled) with seccomp_profile_path unconfined',
        ).to.equal('0');
      },
    );

    // api.proto seccomp_profile_path: "localhost/<full-path-to-profile>: the profile installed on
    // the node. <full-path-to-profile> is the full path of the profile."
    itId(
      'create-container.seccomp-profile-path-localhost',
      'applies the profile of the deprecated seccomp_profile_path localhost/<path> [linux]',
      async function () {
        requireLocalRuntime(this, 'a profile file on the host');
        const profile = join(hostTempDir(scope, 'seccomp-path'), 'no-mkdir.json');
        writeFileSync(profile, JSON.stringify(NO_MKDIR_PROFILE));
        const id = await runUnderTestIn(
          scope,
          pod,
          'seccomp-path-localhost',
          withSecurityContext({ seccomp_profile_path: `localhost/${profile}` }),
        );
        const { parts, stderr } = await shellParts(id, {
          status: PROC_STATUS,
          touch: 'touch /tmp/crit-file',
          mkdir: 'mkdir /tmp/crit-dir',
        });
        if (parts.status.exitCode !== 0) throw new Error(`${PROC_STATUS} exited ${parts.status.exitCode}: ${stderr}`);
        const { fields } = procStatusFrom(parts.status.stdout);
        const what = `seccomp_profile_path localhost/${profile} (denies mkdir)`;
        expect(fields.Seccomp, `/proc/self/status Seccomp with ${what}`).to.equal('2');
        expect(parts.touch.exitCode, `exit code of touch, which the profile allows (stderr: ${stderr})`).to.equal(0);
        expect(parts.mkdir.exitCode, `exit code of mkdir under ${what} (stderr: ${stderr})`).to.not.equal(0);
      },
    );
  });
});
