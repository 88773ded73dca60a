// RuntimeService CheckpointContainer (optional: ContainerCheckpoint feature gate).
import { expect } from 'chai';
import { existsSync, rmSync, statSync } from 'node:fs';
import {
  ctx,
  cri,
  expectOk,
  expectRefusal,
  requireRpc,
  rpc,
  skipWithReason,
  unknownId,
  useScope,
} from '../src/framework/index.js';

describe('Checkpoint', function () {
  const scope = useScope();

  rpc('CheckpointContainer', function () {
    beforeEach(async function () {
      await requireRpc(this, 'CheckpointContainer');
    });

    // api.proto CheckpointContainerRequest.location: "Location of the checkpoint archive used for export".
    it('checkpoints a running container to an archive at the given location [optional] [linux]', async function () {
      if (!ctx().runtimeEndpoint.startsWith('unix:') && !ctx().runtimeEndpoint.startsWith('/')) {
        skipWithReason(
          this,
          'the checkpoint archive is written on the runtime host, which a tcp endpoint does not share',
        );
      }
      const { container } = await scope.runPodWithContainer('checkpoint');
      const location = `/tmp/crit-${ctx().runId}-${container.id.slice(0, 12)}-checkpoint.tar`;
      scope.defer(`checkpoint archive ${location}`, async () => rmSync(location, { force: true }));
      await expectOk(
        cri().runtime.CheckpointContainer(
          { container_id: container.id, location, timeout: '60' },
          { timeoutMs: 120_000 },
        ),
        'CheckpointContainer',
      );
      expect(existsSync(location), `checkpoint archive ${location} exists`).to.equal(true);
      expect(statSync(location).size, `size of checkpoint archive ${location}`).to.be.greaterThan(0);
    });

    it('returns an error for an unknown container id [optional]', async function () {
      await expectRefusal(
        cri().runtime.CheckpointContainer({
          container_id: unknownId(),
          location: `/tmp/crit-${ctx().runId}-unknown.tar`,
          timeout: '0',
        }),
        'CheckpointContainer of an unknown container id',
      );
    });
  });
});
