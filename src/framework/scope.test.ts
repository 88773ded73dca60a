import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { CriCallError, SetupError } from '../client/errors.js';
import { DEFAULT_TIMEOUTS } from '../client/timeouts.js';
import { setContext } from './context.js';
import { useCriClient } from './cri.js';
import { fakeClient } from './fake-client.test-support.js';
import { defaultCatalogue } from './images.js';
import { Scope } from './scope.js';
import { removeLabelledPods, sweepRun } from './sweep.js';

const notFound = (rpc: string) => (): never => {
  throw new CriCallError(rpc, status.NOT_FOUND, 'not found', '');
};

describe('Scope', function () {
  beforeEach(function () {
    setContext({
      runId: 'test1234', runtimeEndpoint: 'unix:///fake.sock', imageEndpoint: 'unix:///fake.sock', runtimeHandler: '',
      timeouts: DEFAULT_TIMEOUTS, images: defaultCatalogue(), runDir: mkdtempSync(join(tmpdir(), 'crit-scope-')),
    });
  });

  it('removes what it tracked in reverse order of creation', async function () {
    const { client, calls } = fakeClient({
      RunPodSandbox: () => ({ pod_sandbox_id: 'pod1' }),
      ImageStatus: () => ({ image: { id: 'sha256:x' } }),
      CreateContainer: () => ({ container_id: 'ctr1' }),
    });
    useCriClient(client);
    const scope = new Scope();
    const pod = await scope.runPod('p');
    await scope.runContainer(pod, 'c');
    calls.length = 0;
    expect(await scope.cleanup()).to.deep.equal([]);
    expect(calls).to.deep.equal(['RemoveContainer ctr1', 'RemovePodSandbox pod1']);
    calls.length = 0;
    expect(await scope.cleanup(), 'a second cleanup has nothing left to do').to.deep.equal([]);
    expect(calls).to.deep.equal([]);
  });

  it('tolerates NOT_FOUND and reports other failures without throwing', async function () {
    const { client, calls } = fakeClient({
      RemoveContainer: notFound('RemoveContainer'),
      RemovePodSandbox: () => {
        throw new CriCallError('RemovePodSandbox', status.FAILED_PRECONDITION, 'stop it first', 'pod_sandbox_id=pod2');
      },
      StopPodSandbox: () => {
        throw new CriCallError('StopPodSandbox', status.INTERNAL, 'stuck', 'pod_sandbox_id=pod2');
      },
    });
    useCriClient(client);
    const scope = new Scope();
    scope.trackPod('pod2');
    scope.trackContainer('gone');
    const failures = await scope.cleanup();
    expect(calls).to.deep.equal(['RemoveContainer gone', 'RemovePodSandbox pod2', 'StopPodSandbox pod2']);
    expect(failures).to.deep.equal(['cleanup of pod pod2 failed: StopPodSandbox → INTERNAL (13): "stuck" [request: pod_sandbox_id=pod2]']);
  });

  it('stops a pod that the runtime will not remove while ready, then removes it', async function () {
    let stopped = false;
    const { client, calls } = fakeClient({
      RemovePodSandbox: () => {
        if (!stopped) throw new CriCallError('RemovePodSandbox', status.FAILED_PRECONDITION, 'sandbox is ready', 'pod_sandbox_id=pod3');
        return {};
      },
      StopPodSandbox: () => {
        stopped = true;
        return {};
      },
    });
    useCriClient(client);
    const scope = new Scope();
    scope.trackPod('pod3');
    expect(await scope.cleanup()).to.deep.equal([]);
    expect(calls).to.deep.equal(['RemovePodSandbox pod3', 'StopPodSandbox pod3', 'RemovePodSandbox pod3']);
  });

  it('does not retry a pod removal the runtime did not answer', async function () {
    const { client, calls } = fakeClient({
      RemovePodSandbox: () => {
        throw new CriCallError('RemovePodSandbox', status.DEADLINE_EXCEEDED, 'deadline exceeded', 'pod_sandbox_id=pod4');
      },
    });
    useCriClient(client);
    const scope = new Scope();
    scope.trackPod('pod4');
    expect(await scope.cleanup()).to.have.length(1);
    expect(calls).to.deep.equal(['RemovePodSandbox pod4']);
  });

  it('turns a failing fixture call into a SetupError and still tracks nothing it did not create', async function () {
    const { client, calls } = fakeClient({
      RunPodSandbox: () => {
        throw new CriCallError('RunPodSandbox', status.UNAVAILABLE, 'down', '');
      },
    });
    useCriClient(client);
    const scope = new Scope();
    try {
      await scope.runPod('p');
      expect.fail('runPod did not throw');
    } catch (err) {
      expect(err).to.be.instanceOf(SetupError);
      expect((err as Error).message).to.match(/^precondition RunPodSandbox failed: RunPodSandbox → UNAVAILABLE/);
    }
    calls.length = 0;
    expect(await scope.cleanup()).to.deep.equal([]);
    expect(calls).to.deep.equal([]);
  });
});

describe('sweepRun', function () {
  it('removes the containers and pods carrying the run label, and the pulled images', async function () {
    const seen: Record<string, unknown>[] = [];
    const { client, calls } = fakeClient({
      ListContainers: (req) => {
        seen.push(req);
        return { containers: [{ id: 'c1' }, { id: 'c2' }] };
      },
      ListPodSandbox: (req) => {
        seen.push(req);
        return { items: [{ id: 'p1' }] };
      },
      RemoveImage: notFound('RemoveImage'),
    });
    const result = await sweepRun(client, 'run42', ['img:1', 'img:1']);
    expect(seen.map((r) => (r.filter as { label_selector: unknown }).label_selector)).to.deep.equal([
      { 'io.cri-conformance.run': 'run42' },
      { 'io.cri-conformance.run': 'run42' },
    ]);
    expect(calls).to.deep.equal(['ListContainers', 'RemoveContainer c1', 'RemoveContainer c2', 'ListPodSandbox', 'StopPodSandbox p1', 'RemovePodSandbox p1', 'RemoveImage img:1']);
    expect(result).to.deep.equal({ pods: 1, containers: 2, images: 1, leaks: [] });
  });

  it('removes the pods with given labels of a run at once, and names the ones it could not remove', async function () {
    let selector: unknown;
    const { client, calls } = fakeClient({
      ListPodSandbox: (req) => {
        selector = (req.filter as { label_selector: unknown }).label_selector;
        return { items: [{ id: 'w1' }, { id: 'w2' }, { id: 'w3' }] };
      },
      RemovePodSandbox: (req) => {
        if (req.pod_sandbox_id === 'w2') throw new CriCallError('RemovePodSandbox', status.UNAVAILABLE, 'connection refused', '');
        if (req.pod_sandbox_id === 'w3') throw notFound('RemovePodSandbox')();
        return {};
      },
    });
    const leaks = await removeLabelledPods(client, 'run42', { 'io.cri-conformance.worker-pod': 'true' });
    expect(selector).to.deep.equal({ 'io.cri-conformance.worker-pod': 'true', 'io.cri-conformance.run': 'run42' });
    expect(calls).to.deep.equal(['ListPodSandbox', 'RemovePodSandbox w1', 'RemovePodSandbox w2', 'RemovePodSandbox w3']);
    expect(leaks).to.have.length(1);
    expect(leaks[0]).to.match(/^pod w2: .*connection refused/);
  });
});
