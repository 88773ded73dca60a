// Linux security modules: AppArmor (SecurityProfile) and SELinux (SELinuxOption), observed in
// /proc/self/attr/current. Run only where the host enables the module; otherwise skipped with
// the host's lack as the reason.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import {
  containerConfig,
  createRequest,
  cri,
  expectError,
  itId,
  outputOf,
  requireHostLsm,
  rpc,
  runUnderTest,
  useScope,
  withSecurityContext,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();

  rpc('CreateContainer', function () {
    // api.proto LinuxContainerSecurityContext.apparmor: "AppArmor profile for the container";
    // RuntimeDefault: "The container runtime default profile should be used."
    itId(
      'create-container.confines-container-apparmor-profile-under-runtimedefault',
      'confines the container with an AppArmor profile under RuntimeDefault [linux]',
      async function () {
        requireHostLsm(this, 'apparmor');
        const id = await runUnderTest(
          scope,
          'apparmor-default',
          withSecurityContext({ apparmor: { profile_type: 'RuntimeDefault' } }),
        );
        const label = (await outputOf(id, 'cat /proc/self/attr/current')).trim();
        expect(label, '/proc/self/attr/current under AppArmor RuntimeDefault').to.not.equal('unconfined');
        expect(label, '/proc/self/attr/current under AppArmor RuntimeDefault').to.match(/\(enforce\)$/);
      },
      { feature: 'config.linux.security_context.apparmor' },
    );

    // api.proto SecurityProfile.Unconfined: "Disable the feature for the sandbox or the container."
    itId(
      'create-container.leaves-container-unconfined-under-apparmor-unconfined',
      'leaves the container unconfined under AppArmor Unconfined [linux]',
      async function () {
        requireHostLsm(this, 'apparmor');
        const id = await runUnderTest(
          scope,
          'apparmor-unconfined',
          withSecurityContext({ apparmor: { profile_type: 'Unconfined' } }),
        );
        const label = (await outputOf(id, 'cat /proc/self/attr/current')).trim();
        expect(label, '/proc/self/attr/current under AppArmor Unconfined').to.equal('unconfined');
      },
      { feature: 'config.linux.security_context.apparmor' },
    );

    // api.proto SecurityProfile.Localhost: "A pre-defined profile on the node should be used"; a
    // profile the node does not have cannot be applied.
    itId(
      'create-container.rejects-apparmor-localhost-profile-node-does',
      'rejects an AppArmor Localhost profile that the node does not have [linux]',
      async function () {
        requireHostLsm(this, 'apparmor');
        const pod = await scope.runPod('apparmor-missing');
        const name = `crit-missing-${randomUUID()}`;
        const req = await createRequest(
          pod,
          containerConfig(
            'apparmor-missing',
            withSecurityContext({ apparmor: { profile_type: 'Localhost', localhost_ref: name } }),
          ),
        );
        await expectError(
          cri()
            .runtime.CreateContainer(req)
            .then((res) => scope.trackContainer(res.container_id)),
          `CreateContainer with AppArmor localhost_ref ${name}`,
        );
      },
      { feature: 'config.linux.security_context.apparmor' },
    );

    // api.proto selinux_options: "SELinux context to be optionally applied."
    itId(
      'create-container.labels-container-process-selinux-options-level',
      'labels the container process with selinux_options level [linux]',
      async function () {
        requireHostLsm(this, 'selinux');
        const level = 's0:c123,c456';
        const id = await runUnderTest(scope, 'selinux-level', withSecurityContext({ selinux_options: { level } }));
        const label = (await outputOf(id, 'cat /proc/self/attr/current')).replace(/\0/g, '').trim();
        expect(
          label.endsWith(`:${level}`),
          `/proc/self/attr/current ${JSON.stringify(label)} ends with level ${level}`,
        ).to.equal(true);
      },
      { feature: 'config.linux.security_context.selinux_options' },
    );
  });
});
