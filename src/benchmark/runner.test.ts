import { expect } from 'chai';
import { Recorder, timedSlice, type SampleClock } from './runner.js';
import type { OperationName } from './params.js';

const recorder = (timeoutMs = 1_000, signal = new AbortController().signal, selected: OperationName[] = ['ExecSync']) =>
  new Recorder(new Set(selected), timeoutMs, signal);

describe('benchmark runner', function () {
  it('records a sample per success and a message per failure, and goes on', async function () {
    const r = recorder();
    const rec = r.record('ExecSync', 'exec', 2)!;
    const results = await timedSlice(r, rec, [1, 2, 3, 4], 2, async (n) => {
      if (n % 2 === 0) throw new Error(`boom ${n}`);
      return n * 10;
    });
    expect(results).to.deep.equal([
      { ok: true, value: 10 },
      { ok: false, error: 'boom 2' },
      { ok: true, value: 30 },
      { ok: false, error: 'boom 4' },
    ]);
    expect(rec.samplesMs).to.have.length(2);
    expect(rec.failures).to.equal(2);
    expect(rec.failureMessages).to.deep.equal(['boom 2', 'boom 4']);
    expect(rec.phaseMs).to.be.greaterThan(0);
  });

  it('never runs more than `concurrency` samples at once', async function () {
    const r = recorder();
    let inFlight = 0;
    let most = 0;
    await timedSlice(
      r,
      undefined,
      Array.from({ length: 12 }, (_, i) => i),
      3,
      async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((res) => setImmediate(res));
        inFlight -= 1;
      },
    );
    expect(most).to.equal(3);
  });

  it('hands each sample a clock of its own deadline, and fails a sample that outlives it', async function () {
    const r = recorder(50);
    const rec = r.record('ExecSync', 'exec', 1)!;
    let left = 0;
    const results = await timedSlice(r, rec, [0], 1, (_: number, clock: SampleClock) => {
      left = clock.left();
      return new Promise<never>(() => undefined); // a step that never ends
    });
    expect(left).to.be.within(1, 50);
    expect(results[0]).to.deep.equal({ ok: false, error: 'sample exceeded its deadline of 50 ms' });
    expect(rec.failures).to.equal(1);
  });

  it('starts no sample after an interrupt', async function () {
    const abort = new AbortController();
    const r = recorder(1_000, abort.signal);
    const results = await timedSlice(r, undefined, [0, 1, 2], 1, async (n) => {
      if (n === 0) abort.abort();
      return n;
    });
    expect(results.map((x) => x.ok)).to.deep.equal([true, false, false]);
    expect(results[1]).to.deep.equal({ ok: false, skipped: true });
  });

  it('records nothing for an operation that is not selected', function () {
    expect(recorder().record('RunPodSandbox', 'pod', 1)).to.equal(undefined);
  });
});
