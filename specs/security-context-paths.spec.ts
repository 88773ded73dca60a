// LinuxContainerSecurityContext masked_paths and readonly_paths, and the unmasked view of a
// privileged container, observed through reads, writes and /proc/self/mounts in the container.
import { expect } from 'chai';
import {
  containerConfig,
  containerMounts,
  createUnderTest,
  itId,
  mountAt,
  outputsOf,
  rpc,
  runUnderTestIn,
  shellIn,
  useScope,
  useWorkerPod,
  withSecurityContext,
} from '../src/framework/index.js';

/** Paths that runtimes and the kubelet mask by default in a non-privileged container. */
const DEFAULT_MASKED = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

describe('Security context', function () {
  const scope = useScope();
  // The non-privileged containers, and the privileged one in a privileged pod.
  const pod = useWorkerPod();
  const privilegedPod = useWorkerPod('privileged');

  rpc('CreateContainer', function () {
    // api.proto masked_paths: "a slice of paths that should be masked by the container runtime".
    itId(
      'create-container.masks-files-directories-masked-paths',
      'masks the files and directories of masked_paths [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'masked',
          withSecurityContext({ masked_paths: ['/etc/passwd', '/home'] }),
        );
        const seen = await outputsOf(id, { passwd: 'cat /etc/passwd', home: 'ls -A /home' });
        expect(seen.passwd, 'content of the masked file /etc/passwd (the image has users in it)').to.equal('');
        expect(seen.home, 'entries of the masked directory /home (the image has /home/crit)').to.equal('');
      },
      { feature: 'config.linux.security_context.masked_paths' },
    );

    // api.proto readonly_paths: "a slice of paths that should be set as readonly by the container runtime".
    itId(
      'create-container.makes-readonly-paths-read-only-leaves',
      'makes readonly_paths read-only and leaves the rest writable [linux]',
      async function () {
        const id = await runUnderTestIn(
          scope,
          pod,
          'readonly-paths',
          withSecurityContext({ readonly_paths: ['/tmp'] }),
        );
        const blocked = await shellIn(id, 'touch /tmp/crit-probe');
        expect(
          blocked.exitCode,
          `exit code of touch in the read-only path /tmp (stderr: ${blocked.stderr})`,
        ).to.not.equal(0);
        expect(mountAt(await containerMounts(id), '/tmp')?.options ?? [], 'mount options of /tmp').to.include('ro');
        const allowed = await shellIn(id, 'touch /root/crit-probe');
        expect(
          allowed.exitCode,
          `exit code of touch in /root, not a read-only path (stderr: ${allowed.stderr})`,
        ).to.equal(0);
      },
      { feature: 'config.linux.security_context.readonly_paths' },
    );

    // api.proto privileged: "Privileged mode implies ... 2. Sensitive paths, such as kernel module
    // paths within sysfs, are not masked."
    itId(
      'create-container.masks-none-default-sensitive-paths-privileged',
      'masks none of the default sensitive paths in a privileged container [linux]',
      async function () {
        const id = await createUnderTest(
          scope,
          await privilegedPod.get(),
          containerConfig('privileged-unmasked', withSecurityContext({ privileged: true })),
        );
        const mounts = await containerMounts(id);
        const masked = DEFAULT_MASKED.filter((path) => mountAt(mounts, path) !== undefined);
        expect(masked, 'default sensitive paths mounted over (masked) in a privileged container').to.deep.equal([]);
      },
      { feature: 'config.linux.security_context.privileged' },
    );
  });
});
