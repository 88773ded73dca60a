// Container volumes: host-path bind mounts read-write and read-only, a host path that is a
// symlink, and mount propagation (private, host-to-container, bidirectional). The host paths are
// on this host, so the runtime must be too.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Mount } from '../src/generated/runtime/v1/Mount.js';
import {
  type Container,
  cri,
  hostBindMount,
  hostMountUnavailable,
  hostTempDir,
  type Pod,
  requireLocalRuntime,
  rpc,
  type Scope,
  type Shared,
  shellIn,
  shellParts,
  skipWithReason,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withMounts,
  withSecurityContext,
} from '../src/framework/index.js';

/** A container with `mount` in `pod`, privileged (its pod must then be privileged too) or not. */
async function mountedContainer(
  scope: Scope,
  pod: Shared<Pod>,
  slug: string,
  mount: Mount,
  privileged = false,
): Promise<Container> {
  const c = await scope.runContainer(await pod.get(), slug, withMounts(mount), withSecurityContext({ privileged }));
  await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
  return c;
}

describe('Container volumes', function () {
  const scope = useScope();

  beforeEach(function () {
    requireLocalRuntime(this, 'host directories to mount');
  });

  rpc('CreateContainer', { feature: 'config.mounts' }, function () {
    const pod = useWorkerPod();

    // api.proto Mount: container_path "Path of the mount within the container"; host_path "Path
    // of the mount on the host"; readonly "If set, the mount is read-only."
    it('bind-mounts a host directory read-write both ways', async function () {
      const dir = hostTempDir(scope, 'vol-rw');
      writeFileSync(join(dir, 'from-host'), 'host says hi\n');
      const c = await mountedContainer(scope, pod, 'vol-rw', { container_path: '/mnt/vol', host_path: dir });
      const {
        parts: { read, write },
        stderr,
      } = await shellParts(c.id, {
        read: 'cat /mnt/vol/from-host',
        write: 'echo container says hi > /mnt/vol/from-container',
      });
      expect(read.stdout, 'file written on the host, read in the container').to.equal('host says hi\n');
      expect(write.exitCode, `exit code of a write to the read-write mount (stderr: ${stderr})`).to.equal(0);
      expect(
        readFileSync(join(dir, 'from-container'), 'utf8'),
        'file written in the container, read on the host',
      ).to.equal('container says hi\n');
    });

    it('bind-mounts a host directory read-only: reads work, writes fail', async function () {
      const dir = hostTempDir(scope, 'vol-ro');
      writeFileSync(join(dir, 'from-host'), 'read me\n');
      const c = await mountedContainer(scope, pod, 'vol-ro', {
        container_path: '/mnt/ro',
        host_path: dir,
        readonly: true,
      });
      const {
        parts: { read, write },
      } = await shellParts(c.id, { read: 'cat /mnt/ro/from-host', write: 'echo no > /mnt/ro/attempt' });
      expect(read.stdout, 'file read through the read-only mount').to.equal('read me\n');
      expect(write.exitCode, 'exit code of a write to the read-only mount').to.not.equal(0);
      expect(existsSync(join(dir, 'attempt')), 'the attempted file exists on the host').to.equal(false);
    });

    // api.proto Mount.host_path: "If the hostpath is a symbolic link, runtimes should follow the
    // symlink and mount the real destination to container."
    it('follows a host path that is a symlink to a directory', async function () {
      const dir = hostTempDir(scope, 'vol-link');
      mkdirSync(join(dir, 'real'));
      writeFileSync(join(dir, 'real', 'flag'), 'through the link\n');
      symlinkSync(join(dir, 'real'), join(dir, 'link'));
      const c = await mountedContainer(scope, pod, 'vol-link', {
        container_path: '/mnt/link',
        host_path: join(dir, 'link'),
      });
      const read = await shellIn(c.id, 'cat /mnt/link/flag');
      expect(read.stdout, 'file of the symlink target, read in the container').to.equal('through the link\n');
    });
  });

  rpc('CreateContainer', { feature: 'config.mounts' }, function () {
    // The propagation tests run privileged containers, which need a privileged pod.
    const privilegedPod = useWorkerPod('privileged');
    const cases = [
      { propagation: 'PROPAGATION_PRIVATE', host: 'rprivate', inward: false, outward: false },
      { propagation: 'PROPAGATION_HOST_TO_CONTAINER', host: 'rshared', inward: true, outward: false },
      { propagation: 'PROPAGATION_BIDIRECTIONAL', host: 'rshared', inward: true, outward: true },
    ] as const;
    // api.proto MountPropagation: PRIVATE 'No mount propagation ("rprivate" in Linux terminology)';
    // HOST_TO_CONTAINER 'Mounts get propagated from the host to the container ("rslave" in Linux)';
    // BIDIRECTIONAL 'Mounts get propagated from the host to the container and from the container
    // to the host ("rshared" in Linux)'.
    for (const { propagation, host, inward, outward } of cases) {
      it(`${propagation} ${inward ? 'shows' : 'hides'} later host mounts and ${outward ? 'shows' : 'hides'} container mounts to the host [linux]`, async function () {
        const lack = hostMountUnavailable();
        if (lack) skipWithReason(this, lack);
        const dir = hostTempDir(scope, 'vol-prop');
        const mnt = join(dir, 'mnt');
        mkdirSync(join(mnt, 'from-host'), { recursive: true });
        mkdirSync(join(mnt, 'from-container'));
        mkdirSync(join(dir, 'src'));
        writeFileSync(join(dir, 'src', 'flag'), 'x');
        hostBindMount(scope, mnt, mnt, host);
        const c = await mountedContainer(
          scope,
          privilegedPod,
          'vol-prop',
          { container_path: mnt, host_path: mnt, propagation },
          true,
        );
        const { status } = await cri().runtime.ContainerStatus({ container_id: c.id });
        const reported = (status?.mounts ?? []).filter((m) => m.container_path === mnt).map((m) => m.propagation);
        expect(reported, `ContainerStatus.mounts[${mnt}].propagation`).to.deep.equal([propagation]);

        hostBindMount(scope, join(dir, 'src'), join(mnt, 'from-host'));
        // One ExecSync: first what the container sees of the host's new mount, then its own mount.
        const {
          parts: { seen, mounted },
          stderr,
        } = await shellParts(c.id, {
          seen: `ls -A ${mnt}/from-host`,
          mounted: `mount --bind /etc ${mnt}/from-container`,
        });
        expect(
          seen.stdout.trim(),
          'files the container sees under a directory the host mounted on after it started',
        ).to.equal(inward ? 'flag' : '');

        expect(mounted.exitCode, `exit code of mount --bind in the privileged container (stderr: ${stderr})`).to.equal(
          0,
        );
        expect(
          readdirSync(join(mnt, 'from-container')).length > 0,
          'the host sees the mount the container made',
        ).to.equal(outward);
      });
    }
  });
});
