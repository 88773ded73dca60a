// The deprecated profile fields that api.proto still defines, and that older kubelets and other CRI
// clients still send: LinuxContainerSecurityContext.seccomp_profile_path ("runtime/default",
// "unconfined", "localhost/<full-path-to-profile>"), observed in /proc/self/status (Seccomp: 0 none,
// 2 filter) and in a syscall that the localhost profile denies.
import { expect } from 'chai';
import {
  containerProcStatus,
  itId,
  requireLocalRuntime,
  requireUnfilteredHost,
  rpc,
  runUnderTestIn,
  useScope,
  useWorkerPod,
  withSecurityContext,
  probeSeccomp,
  writeNoMkdirProfile,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();

  rpc('CreateContainer', { feature: 'config.linux.security_context.seccomp_profile_path' }, function () {
    // api.proto seccomp_profile_path: "runtime/default: the default profile for the container
    // runtime"; "unconfined: unconfined profile, ie, no seccomp sandboxing".
    const modes = [
      { path: 'runtime/default', slug: 'runtime-default', seccomp: '2', title: 'applies a seccomp filter' },
      { path: 'unconfined', slug: 'unconfined', seccomp: '0', title: 'applies no seccomp filter' },
    ] as const;
    for (const mode of modes) {
      itId(
        `create-container.seccomp-profile-path-${mode.slug}`,
        `${mode.title} with the deprecated seccomp_profile_path ${mode.path} [linux]`,
        async function () {
          // A host whose own processes are filtered passes its filter on to every container.
          if (mode.seccomp === '0') requireUnfilteredHost(this);
          const id = await runUnderTestIn(
            scope,
            pod,
            `seccomp-path-${mode.slug}`,
            withSecurityContext({ seccomp_profile_path: mode.path }),
          );
          const { fields } = await containerProcStatus(id);
          expect(
            fields.Seccomp,
            `/proc/self/status Seccomp (0 = disabled, 2 = filter) with seccomp_profile_path ${mode.path}`,
          ).to.equal(mode.seccomp);
        },
      );
    }

    // api.proto seccomp_profile_path: "localhost/<full-path-to-profile>: the profile installed on
    // the node. <full-path-to-profile> is the full path of the profile."
    itId(
      'create-container.seccomp-profile-path-localhost',
      'applies the profile of the deprecated seccomp_profile_path localhost/<path> [linux]',
      async function () {
        requireLocalRuntime(this, 'a profile file on the host');
        const profile = writeNoMkdirProfile(scope, 'seccomp-path');
        const id = await runUnderTestIn(
          scope,
          pod,
          'seccomp-path-localhost',
          withSecurityContext({ seccomp_profile_path: `localhost/${profile}` }),
        );
        const seen = await probeSeccomp(id);
        const what = `seccomp_profile_path localhost/${profile} (denies mkdir)`;
        expect(seen.seccomp, `/proc/self/status Seccomp with ${what}`).to.equal('2');
        expect(seen.touch, `exit code of touch, which the profile allows (stderr: ${seen.stderr})`).to.equal(0);
        expect(seen.mkdir, `exit code of mkdir under ${what} (stderr: ${seen.stderr})`).to.not.equal(0);
      },
    );
  });
});
