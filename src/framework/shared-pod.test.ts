import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { CriCallError } from '../client/errors.js';
import { DEFAULT_TIMEOUTS } from '../client/timeouts.js';
import { setContext, WORKER_POD_LABEL } from './context.js';
import { useCriClient } from './cri.js';
import { fakeClient } from './fake-client.test-support.js';
import { defaultCatalogue } from './images.js';
import { madeTogether, sharedFixture, useWorkerPod } from './shared-pod.js';

describe('sharedFixture', function () {
  it('makes the fixture once, also for calls made while it is being made', async function () {
    let made = 0;
    const get = sharedFixture(async () => ++made);
    const [a, b] = await Promise.all([get(), get()]);
    expect([a, b, await get(), made]).to.deep.equal([1, 1, 1, 1]);
  });
  it('makes it again on the call after a failed attempt', async function () {
    let attempts = 0;
    const get = sharedFixture(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('RunPodSandbox failed');
      return attempts;
    });
    try {
      await get();
      expect.fail('the first attempt did not fail');
    } catch (err) {
      expect((err as Error).message).to.equal('RunPodSandbox failed');
    }
    expect([await get(), await get(), attempts]).to.deep.equal([2, 2, 2]);
  });
});

describe('madeTogether', function () {
  it('starts every fixture on the first ask, the asked one first, and makes each once', async function () {
    const order: string[] = [];
    const get = madeTogether({
      a: async () => (order.push('a'), 'made a'),
      b: async () => (order.push('b'), 'made b'),
      c: async () => (order.push('c'), 'made c'),
    });
    expect(await get('b')).to.equal('made b');
    expect(order, 'started before b was awaited').to.deep.equal(['b', 'a', 'c']);
    expect([await get('a'), await get('c'), await get('b')]).to.deep.equal(['made a', 'made c', 'made b']);
    expect(order, 'nothing made twice').to.deep.equal(['b', 'a', 'c']);
  });
  it('hands a failure to the test that asks for that fixture, then makes it again', async function () {
    let attempts = 0;
    const get = madeTogether({
      ok: async () => 'fine',
      flaky: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('CreateContainer failed');
        return `attempt ${attempts}`;
      },
    });
    expect(await get('ok')).to.equal('fine');
    const failure = await get('flaky').then(() => 'no error', (err: Error) => err.message);
    expect(failure, 'the first ask for the failed fixture').to.equal('CreateContainer failed');
    expect([await get('flaky'), await get('flaky'), attempts]).to.deep.equal(['attempt 2', 'attempt 2', 2]);
  });
});

describe('useWorkerPod', function () {
  const pod = useWorkerPod();
  const privileged = useWorkerPod('privileged');
  const states = new Map<string, string>();
  const runs: Record<string, unknown>[] = [];
  const { client, calls } = fakeClient({
    RunPodSandbox: (req) => {
      runs.push(req);
      if (runs.length === 3) throw new CriCallError('RunPodSandbox', status.UNAVAILABLE, 'runtime restarting', '');
      const id = `pod${runs.length}`;
      states.set(id, 'SANDBOX_READY');
      return { pod_sandbox_id: id };
    },
    PodSandboxStatus: (req) => {
      const state = states.get(req.pod_sandbox_id as string);
      if (!state) throw new CriCallError('PodSandboxStatus', status.NOT_FOUND, 'not found', '');
      return { status: { id: req.pod_sandbox_id, state } };
    },
  });

  before(function () {
    setContext({
      runId: 'test1234', runtimeEndpoint: 'unix:///fake.sock', imageEndpoint: 'unix:///fake.sock', runtimeHandler: '',
      timeouts: DEFAULT_TIMEOUTS, images: defaultCatalogue(), runDir: mkdtempSync(join(tmpdir(), 'crit-worker-pod-')),
    });
    useCriClient(client);
  });

  it('runs one labelled default pod and hands it out while it is ready', async function () {
    const [a, b] = await Promise.all([pod.get(), pod.get()]);
    const c = await pod.get();
    expect([a.id, b.id, c.id]).to.deep.equal(['pod1', 'pod1', 'pod1']);
    expect(runs).to.have.length(1);
    expect((runs[0].config as { labels: Record<string, string> }).labels).to.include({ [WORKER_POD_LABEL]: 'true' });
  });

  it('replaces the pod once it is no longer ready or gone, and tries again after a failed run', async function () {
    states.set('pod1', 'SANDBOX_NOTREADY');
    expect((await pod.get()).id).to.equal('pod2');
    states.delete('pod2');
    try {
      await pod.get();
      expect.fail('the failed RunPodSandbox was not reported');
    } catch (err) {
      expect((err as Error).message).to.include('runtime restarting');
    }
    expect((await pod.get()).id).to.equal('pod4');
    expect(calls.filter((c) => c.startsWith('RemovePodSandbox'))).to.deep.equal([]);
  });

  it('runs one pod per kind: the privileged one apart from the default one', async function () {
    const [p, d] = await Promise.all([privileged.get(), pod.get()]);
    expect([p.id, d.id]).to.deep.equal(['pod5', 'pod4']);
    expect((runs[4].config as { linux: { security_context: { privileged?: boolean } } }).linux.security_context.privileged).to.equal(true);
    expect((await privileged.get()).id).to.equal('pod5');
  });
});
