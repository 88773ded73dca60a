import { expect } from 'chai';
import { together } from './together.js';

describe('together', function () {
  it('returns the results in order, like Promise.all', async function () {
    const [a, b] = await together([Promise.resolve(1), Promise.resolve('two')]);
    expect([a, b]).to.deep.equal([1, 'two']);
  });

  it('rejects with the first failure only after every step has settled', async function () {
    let slowDone = false;
    const slow = new Promise<void>((resolve) => setImmediate(() => { slowDone = true; resolve(); }));
    const err = await together([Promise.reject(new Error('first')), slow]).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).to.equal('first');
    expect(slowDone, 'the slower step settled before the rejection').to.equal(true);
  });
});
