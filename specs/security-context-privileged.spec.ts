// LinuxContainerSecurityContext privileged, readonly_rootfs and no_new_privs, observed in the
// container: /proc/self/status, /proc/self/mounts, /dev, and writes that must fail or succeed.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  containerMounts,
  containerProcStatus,
  grantableAndProcStatus,
  hostDevices,
  hostTempDir,
  itId,
  mountAt,
  MOUNTS,
  parseMounts,
  perTest,
  requireLocalRuntime,
  rpc,
  runningIn,
  runUnderTestIn,
  shellIn,
  shellParts,
  useScope,
  useWorkerPod,
  withMounts,
  withSecurityContext,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  // api.proto LinuxSandboxSecurityContext.privileged: "If a privileged container is to be
  // executed within it, this MUST be true." The non-privileged tests keep to the pod above.
  const privilegedPod = useWorkerPod('privileged');
  // The privileged tests read different facts (capabilities, mounts, /dev) of one privileged
  // container, in a pod that declares it runs one, as the proto requires.
  const privileged = perTest(runningIn(privilegedPod, 'privileged', withSecurityContext({ privileged: true })));
  // A container that is not privileged, with no_new_privs false (the proto default, the same
  // request as leaving it out): the non-privileged capability test and the no_new_privs false test
  // read one container.
  const unprivileged = perTest(runningIn(pod, 'unprivileged', withSecurityContext({ no_new_privs: false })));

  rpc('CreateContainer', function () {
    // api.proto readonly_rootfs: "If set, the root filesystem of the container is read-only."
    itId(
      'create-container.makes-root-filesystem-read-only',
      'makes the root filesystem read-only under readonly_rootfs [linux]',
      async function () {
        const id = await runUnderTestIn(scope, pod, 'readonly-rootfs', withSecurityContext({ readonly_rootfs: true }));
        const { parts, stderr } = await shellParts(id, { write: 'touch /crit-probe', mounts: MOUNTS });
        expect(
          parts.write.exitCode,
          `exit code of touch /crit-probe on a read-only rootfs (stderr: ${stderr})`,
        ).to.not.equal(0);
        if (parts.mounts.exitCode !== 0) throw new Error(`${MOUNTS} exited ${parts.mounts.exitCode}: ${stderr}`);
        const root = mountAt(parseMounts(parts.mounts.stdout), '/');
        expect(root?.options ?? [], 'mount options of / in /proc/self/mounts').to.include('ro');
      },
      { feature: 'config.linux.security_context.readonly_rootfs' },
    );

    // api.proto readonly_rootfs covers the root filesystem only; Mount.readonly: "If set, the
    // mount is read-only" (unset: writable).
    itId(
      'create-container.keeps-writable-volume-mount-writable-under',
      'keeps a writable volume mount writable under readonly_rootfs [linux]',
      async function () {
        requireLocalRuntime(this, 'a host directory to mount');
        const dir = hostTempDir(scope, 'rw-mount');
        const id = await runUnderTestIn(
          scope,
          pod,
          'readonly-rootfs-volume',
          withSecurityContext({ readonly_rootfs: true }),
          withMounts({ container_path: '/data', host_path: dir }),
        );
        const write = await shellIn(id, 'echo ok > /data/probe');
        expect(write.exitCode, `exit code of a write to the writable mount /data (stderr: ${write.stderr})`).to.equal(
          0,
        );
        expect(existsSync(join(dir, 'probe')), `host file ${dir}/probe written through the mount`).to.equal(true);
      },
      { feature: 'config.linux.security_context.readonly_rootfs' },
    );

    // api.proto privileged: "Privileged mode implies ... 1. All capabilities are added."
    itId(
      'create-container.gives-privileged-container-capability',
      'gives a privileged container every capability [linux]',
      async function () {
        const { id } = await privileged.get();
        const {
          grantable: wanted,
          status: { caps },
        } = await grantableAndProcStatus(id);
        expect(caps.eff, 'CapEff of a privileged container').to.include.members(wanted);
        expect(caps.prm, 'CapPrm of a privileged container').to.include.members(wanted);
        expect(caps.bnd, 'CapBnd of a privileged container').to.include.members(wanted);
      },
      { feature: 'config.linux.security_context.privileged' },
    );

    // api.proto privileged: "3. Any sysfs and procfs mounts are mounted RW."
    itId(
      'create-container.mounts-sysfs-procfs-read-write-privileged',
      'mounts sysfs and procfs read-write in a privileged container [linux]',
      async function () {
        const { id } = await privileged.get();
        const mounts = await containerMounts(id);
        expect(mountAt(mounts, '/sys')?.options ?? [], 'mount options of /sys in /proc/self/mounts').to.include('rw');
        expect(mountAt(mounts, '/proc')?.options ?? [], 'mount options of /proc in /proc/self/mounts').to.include('rw');
      },
      { feature: 'config.linux.security_context.privileged' },
    );

    // api.proto privileged: "7. All devices from the host's /dev are available within the container."
    itId(
      'create-container.exposes-host-device-privileged-container',
      'exposes every host device to a privileged container [linux]',
      async function () {
        requireLocalRuntime(this, "to list the host's /dev");
        const { id } = await privileged.get();
        const res = await shellIn(id, 'ls -1 /dev');
        const inside = new Set(res.stdout.split('\n'));
        // The OCI runtime spec gives each container its own /dev/console (set up only with a
        // terminal), /dev/ptmx and /dev/tty; they are not the host's.
        const perContainer = new Set(['console', 'ptmx', 'tty']);
        const missing = hostDevices().filter((d) => !perContainer.has(d) && !inside.has(d));
        expect(missing, 'host devices missing from /dev of a privileged container').to.deep.equal([]);
      },
      { feature: 'config.linux.security_context.privileged' },
    );

    // api.proto privileged: "If set, run container in privileged mode" and "Privileged mode
    // implies ... All capabilities are added": without it, the process holds fewer capabilities.
    it('withholds SYS_ADMIN from a non-privileged container [linux]', async function () {
      const { id } = await unprivileged.get();
      const { caps } = await containerProcStatus(id);
      expect(caps.eff, 'CapEff of a non-privileged container').to.not.include('SYS_ADMIN');
      expect(caps.bnd, 'CapBnd of a non-privileged container').to.not.include('SYS_ADMIN');
      expect(caps.eff, 'CapEff of a non-privileged container is a default set, not empty').to.not.have.lengthOf(0);
    });

    // api.proto no_new_privs: "defines if the flag for no_new_privs should be set on the container."
    for (const nnp of [true, false]) {
      itId(
        `create-container.no-new-privs-${nnp}`,
        `sets NoNewPrivs to ${nnp ? 1 : 0} with no_new_privs ${nnp} [linux]`,
        async function () {
          const id = nnp
            ? await runUnderTestIn(scope, pod, 'nnp-true', withSecurityContext({ no_new_privs: true }))
            : (await unprivileged.get()).id;
          const { fields } = await containerProcStatus(id);
          expect(fields.NoNewPrivs, `/proc/self/status NoNewPrivs with no_new_privs ${nnp}`).to.equal(nnp ? '1' : '0');
        },
        nnp ? { feature: 'config.linux.security_context.no_new_privs' } : {},
      );
    }
  });
});
