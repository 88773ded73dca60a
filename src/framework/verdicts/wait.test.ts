import { expect } from 'chai';
import { consistently, eventually, StateNeverReachedError, WaitTimeoutError } from './wait.js';

describe('eventually', function () {
  it('returns the first accepted value', async function () {
    let n = 0;
    const value = await eventually(
      'n to reach 3',
      async () => ++n,
      (v) => v >= 3,
      { timeout: 2_000, interval: 1 },
    );
    expect(value).to.equal(3);
  });
  it('times out naming the condition, the deadline, the last value and the poll count', async function () {
    const started = Date.now();
    try {
      await eventually(
        'container abc to reach CONTAINER_RUNNING',
        async () => 'CONTAINER_CREATED',
        (v) => v === 'CONTAINER_RUNNING',
        { timeout: 300, interval: 20 },
      );
      expect.fail('eventually did not time out');
    } catch (err) {
      expect(err).to.be.instanceOf(WaitTimeoutError);
      expect((err as Error).message).to.match(
        /^timed out after 0\.3s waiting for container abc to reach CONTAINER_RUNNING; last: CONTAINER_CREATED \(\d+ polls\)$/,
      );
    }
    expect(Date.now() - started).to.be.lessThan(1_500);
  });
  it('gives up at the first value that shows the condition can never hold, with its reason', async function () {
    const seen = ['CONTAINER_CREATED', 'CONTAINER_EXITED', 'CONTAINER_RUNNING'];
    let polls = 0;
    const err = await eventually(
      'container abc to reach CONTAINER_RUNNING',
      async () => seen[polls++],
      (v) => v === 'CONTAINER_RUNNING',
      { timeout: 60_000, interval: 1, hopeless: (v) => (v === 'CONTAINER_EXITED' ? 'it exited' : undefined) },
    ).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).to.be.instanceOf(StateNeverReachedError);
    expect(err?.message).to.match(
      /^gave up after \d+(\.\d)?s waiting for container abc to reach CONTAINER_RUNNING: it exited; last: CONTAINER_EXITED \(2 polls\)$/,
    );
  });
  it('reports the last error when every poll failed', async function () {
    try {
      await eventually(
        'status',
        async () => {
          throw new Error('NOT_FOUND');
        },
        () => true,
        { timeout: 100, interval: 10 },
      );
      expect.fail('eventually did not time out');
    } catch (err) {
      expect((err as Error).message).to.include('last: Error: NOT_FOUND');
    }
  });
});

describe('consistently', function () {
  it('passes when the condition holds for the window', async function () {
    await consistently(
      'x stays 1',
      async () => 1,
      (v) => v === 1,
      100,
      10,
    );
  });
  it('fails on the first value that breaks the condition', async function () {
    let n = 0;
    try {
      await consistently(
        'n stays below 3',
        async () => ++n,
        (v) => v < 3,
        2_000,
        1,
      );
      expect.fail('consistently did not fail');
    } catch (err) {
      expect((err as Error).message).to.match(/expected n stays below 3 to hold for 2s, but after 3 polls saw: 3/);
    }
  });
});
