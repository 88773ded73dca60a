// Devices of a container: host devices (ContainerConfig.devices) with their cgroup permissions, and
// CDI devices (ContainerConfig.CDI_devices) that a CDI spec on the host defines. Both name things on
// the runtime's host (a device node, a spec file), so the runtime must be on this host.
//
// The host device is /dev/fuse: a character device that the runtime's default device rules do not
// already allow (unlike /dev/null or /dev/zero, which every container may read and write, so that
// "r" could not be told from "rw"), and that opens for reading and writing without side effects.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  cdiSpecDir,
  writeCdiSpec,
  hostCharDevice,
  hostTempDir,
  itId,
  requireLocalRuntime,
  rpc,
  shellParts,
  skipWithReason,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withCdiDevices,
  withDevices,
} from '../src/framework/index.js';

const HOST_DEVICE = '/dev/fuse';
const CONTAINER_DEVICE = '/dev/crit-dev';
/** `stat -c` format: file type and hex major:minor, e.g. `character special file a:e5`. */
const NODE_FORMAT = '%F %t:%T';

/** `stat` of a character device `numbers` (hex `major:minor`) as NODE_FORMAT prints it. */
const charNode = (numbers: string): string => `character special file ${numbers}\n`;

describe('Devices', function () {
  const scope = useScope();

  beforeEach(function () {
    requireLocalRuntime(this, 'host devices and CDI spec files');
  });

  rpc('CreateContainer', { feature: 'config.devices' }, function () {
    const pod = useWorkerPod();

    // api.proto Device.permissions: "Cgroups permissions of the device, candidates are one or
    // more of * r - allows container to read from the specified device. * w - allows container to
    // write to the specified device. * m - allows container to create device files that do not yet
    // exist." The runtime's default rules allow mknod of any device, so "m" is not told apart here.
    const cases = [
      { permissions: 'r', write: false },
      { permissions: 'rw', write: true },
      { permissions: 'rwm', write: true },
    ] as const;
    for (const { permissions, write } of cases) {
      itId(
        `create-container.maps-host-device-permissions-${permissions}`,
        `maps a host device at container_path that opens for reading${write ? ' and writing' : ' only'} with permissions "${permissions}" [linux]`,
        async function () {
          const numbers = hostCharDevice(HOST_DEVICE);
          if (!numbers) skipWithReason(this, `needs the character device ${HOST_DEVICE} on the runtime's host`);
          const c = await scope.runContainer(
            await pod.get(),
            `dev-${permissions}`,
            withDevices({ container_path: CONTAINER_DEVICE, host_path: HOST_DEVICE, permissions }),
          );
          await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
          // `exec 3<` / `exec 3>` open the device (a failed redirection ends the shell non-zero).
          const {
            parts: { node, read, written },
            stderr,
          } = await shellParts(c.id, {
            node: `stat -c '${NODE_FORMAT}' ${CONTAINER_DEVICE}`,
            read: `exec 3< ${CONTAINER_DEVICE}`,
            written: `exec 3> ${CONTAINER_DEVICE}`,
          });
          expect(node.stdout, `${CONTAINER_DEVICE} in the container (host ${HOST_DEVICE} is ${numbers})`).to.equal(
            charNode(numbers),
          );
          expect(read.exitCode, `exit code of opening ${CONTAINER_DEVICE} for reading (stderr: ${stderr})`).to.equal(0);
          expect(
            written.exitCode === 0,
            `${CONTAINER_DEVICE} opens for writing with permissions "${permissions}" (stderr: ${stderr})`,
          ).to.equal(write);
        },
      );
    }
  });

  rpc('CreateContainer', { feature: 'config.CDI_devices' }, function () {
    const pod = useWorkerPod();

    // api.proto ContainerConfig.CDI_devices: "CDI devices for the container." and CDIDevice.name:
    // "Fully qualified CDI device name"; the CDI spec (SPEC.md) makes the runtime apply the
    // device's containerEdits: environment variables, device nodes and mounts.
    itId(
      'create-container.applies-cdi-device-edits',
      'applies the env, device node and mount that a CDI device of the request defines [linux]',
      async function () {
        const dir = await cdiSpecDir(this);
        const shared = hostTempDir(scope, 'cdi-mount');
        writeFileSync(join(shared, 'flag'), 'mounted by CDI\n');
        const nullDevice = hostCharDevice('/dev/null');
        if (!nullDevice) skipWithReason(this, "needs the character device /dev/null on the runtime's host");
        const marker = `crit-cdi-${Date.now().toString(36)}`;
        const device = writeCdiSpec(scope, dir, {
          env: [`CRIT_CDI=${marker}`],
          deviceNodes: [{ path: '/dev/crit-cdi', hostPath: '/dev/null' }],
          mounts: [{ hostPath: shared, containerPath: '/mnt/cdi', type: 'bind', options: ['bind', 'ro'] }],
        });
        const c = await scope.runContainer(await pod.get(), 'cdi', withCdiDevices(device));
        await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
        const {
          parts: { env, node, mount },
        } = await shellParts(c.id, {
          env: 'echo "CRIT_CDI=$CRIT_CDI"',
          node: `stat -c '${NODE_FORMAT}' /dev/crit-cdi`,
          mount: 'cat /mnt/cdi/flag',
        });
        expect(env.stdout, `CRIT_CDI in the container's environment (${device})`).to.equal(`CRIT_CDI=${marker}\n`);
        expect(node.stdout, `/dev/crit-cdi in the container (${device}; host /dev/null is ${nullDevice})`).to.equal(
          charNode(nullDevice),
        );
        expect(mount.stdout, `/mnt/cdi/flag in the container (${device})`).to.equal('mounted by CDI\n');
      },
    );
  });
});
