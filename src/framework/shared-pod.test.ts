import { expect } from 'chai';
import { sharedFixture } from './shared-pod.js';

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
