// Read-only mounts and submounts: a plain read-only mount leaves a submount below it writable; a
// recursive read-only mount (where the runtime handler reports support) makes it read-only too,
// and is rejected when combined with settings the proto forbids.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Mount } from '../src/generated/runtime/v1/Mount.js';
import {
  containerConfig,
  cri,
  ensureImage,
  expectError,
  hostMountUnavailable,
  hostTempDir,
  hostTmpfsMount,
  itId,
  requireLocalRuntime,
  requireHandlerFeature,
  rpc,
  setup,
  shellIn,
  shellParts,
  skipWithReason,
  type Scope,
  useScope,
  useWorkerPod,
  waitForContainerState,
  withMounts,
} from '../src/framework/index.js';

/** A host directory with a tmpfs mounted at <dir>/sub. */
function dirWithSubmount(scope: Scope, test: Mocha.Context): string {
  const lack = hostMountUnavailable();
  if (lack) skipWithReason(test, lack);
  const dir = hostTempDir(scope, 'vol-rro');
  mkdirSync(join(dir, 'sub'));
  hostTmpfsMount(scope, join(dir, 'sub'));
  return dir;
}

describe('Container volumes', function () {
  const scope = useScope();

  beforeEach(function () {
    requireLocalRuntime(this, 'host directories to mount');
  });

  rpc('CreateContainer', { feature: 'config.mounts' }, function () {
    const workerPod = useWorkerPod();

    // api.proto Mount.recursive_read_only: "(readonly == false && recursive_read_only == false)
    // does not make the mount read-only" and readonly alone is not recursive: a submount stays writable.
    it('keeps a submount below a plain read-only mount writable [linux]', async function () {
      const dir = dirWithSubmount(scope, this);
      const pod = await workerPod.get();
      const c = await scope.runContainer(
        pod,
        'vol-ro-sub',
        withMounts({ container_path: '/mnt/ro', host_path: dir, readonly: true }),
      );
      await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
      const {
        parts: { top, sub },
        stderr,
      } = await shellParts(c.id, { top: 'touch /mnt/ro/top', sub: 'touch /mnt/ro/sub/file' });
      expect(top.exitCode, 'exit code of a write to the read-only mount itself').to.not.equal(0);
      expect(sub.exitCode, `exit code of a write to the submount (stderr: ${stderr})`).to.equal(0);
    });

    // api.proto Mount.recursive_read_only: "If set to true, the mount is made recursive read-only."
    itId(
      'create-container.makes-submount-read-only-too-recursive',
      'makes a submount read-only too with recursive_read_only [optional] [linux]',
      async function () {
        await requireHandlerFeature(this, 'recursive_read_only_mounts');
        const dir = dirWithSubmount(scope, this);
        const pod = await workerPod.get();
        const c = await scope.runContainer(
          pod,
          'vol-rro',
          withMounts({ container_path: '/mnt/rro', host_path: dir, readonly: true, recursive_read_only: true }),
        );
        await waitForContainerState(c.id, 'CONTAINER_RUNNING', { timeout: 30_000 });
        const sub = await shellIn(c.id, 'touch /mnt/rro/sub/file');
        expect(sub.exitCode, 'exit code of a write to the submount of a recursive read-only mount').to.not.equal(0);
      },
      { feature: 'config.mounts.recursive_read_only' },
    );

    // api.proto Mount.recursive_read_only: "when set to true, readonly must be explicitly set to
    // true, and propagation must be PRIVATE (0)."
    const invalid: { title: string; mount: Partial<Mount> }[] = [
      { title: 'readonly false', mount: { readonly: false } },
      {
        title: 'PROPAGATION_HOST_TO_CONTAINER',
        mount: { readonly: true, propagation: 'PROPAGATION_HOST_TO_CONTAINER' },
      },
      { title: 'PROPAGATION_BIDIRECTIONAL', mount: { readonly: true, propagation: 'PROPAGATION_BIDIRECTIONAL' } },
    ];
    for (const { title, mount } of invalid) {
      itId(
        `create-container.rejects-recursive-read-only-with-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
        `rejects recursive_read_only with ${title} [optional] [linux]`,
        async function () {
          await requireHandlerFeature(this, 'recursive_read_only_mounts');
          const dir = hostTempDir(scope, 'vol-rro-bad');
          const pod = await workerPod.get();
          const config = containerConfig(
            'vol-rro-bad',
            withMounts({ container_path: '/mnt/x', host_path: dir, recursive_read_only: true, ...mount }),
          );
          await setup('image', ensureImage(config.image!.image!));
          const attempt = cri()
            .runtime.CreateContainer({ pod_sandbox_id: pod.id, config, sandbox_config: pod.config })
            .then(async ({ container_id: id }) => {
              scope.trackContainer(id);
              await cri().runtime.StartContainer({ container_id: id });
            });
          await expectError(attempt, `CreateContainer (or StartContainer) with recursive_read_only and ${title}`);
        },
        { feature: 'config.mounts.recursive_read_only' },
      );
    }
  });
});
