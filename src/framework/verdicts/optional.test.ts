import { expect } from 'chai';
import { useFakeContext } from '../run/fake-client.test-support.js';
import { status } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CriCallError } from '../../client/errors.js';
import { requireFeature } from './optional.js';

const scratch = mkdtempSync(join(tmpdir(), 'crit-optional-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const unimplemented = (rpc: string) => async (): Promise<never> => {
  throw new CriCallError(rpc, status.UNIMPLEMENTED, 'unknown method', '');
};

/** A stand-in for mocha's test context that records skip() instead of aborting. */
function fakeTest(): { test: Mocha.Context; skipped: () => boolean } {
  let skipped = false;
  const test = {
    test: { fullTitle: () => 'Area Rpc does something' },
    skip: () => {
      skipped = true;
      throw new Error('skipped');
    },
  } as unknown as Mocha.Context;
  return { test, skipped: () => skipped };
}

function useContext(requiredFeatures: string[]): void {
  useFakeContext(mkdtempSync(join(scratch, 'run-')), { runId: 'opt1', requiredFeatures });
}

describe('requireFeature', function () {
  it('skips an optional RPC that answers UNIMPLEMENTED', async function () {
    useContext([]);
    const { test, skipped } = fakeTest();
    await requireFeature(test, 'StreamImages', unimplemented('StreamImages')).catch(() => undefined);
    expect(skipped()).to.equal(true);
  });
  it('fails instead when --require names the feature gate', async function () {
    useContext(['CRIListStreaming']);
    const { test, skipped } = fakeTest();
    const err = await requireFeature(test, 'StreamContainers', unimplemented('StreamContainers')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(skipped()).to.equal(false);
    expect(err?.name).to.equal('AssertionError');
    expect(err?.message).to.equal(
      'StreamContainers returned UNIMPLEMENTED, but StreamContainers is required (--require CRIListStreaming)',
    );
  });
  it('fails a required RPC that answers UNIMPLEMENTED', async function () {
    useContext([]);
    const { test, skipped } = fakeTest();
    const err = await requireFeature(test, 'ListContainerStats', unimplemented('ListContainerStats')).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(skipped()).to.equal(false);
    expect(err?.message).to.match(/ListContainerStats is a required CRI RPC/);
  });
  it('lets the test run when the probe answers anything but UNIMPLEMENTED', async function () {
    useContext([]);
    const { test, skipped } = fakeTest();
    await requireFeature(test, 'CheckpointContainer', async () => {
      throw new CriCallError('CheckpointContainer', status.NOT_FOUND, 'no such container', '');
    });
    expect(skipped()).to.equal(false);
  });
});
