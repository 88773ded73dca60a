import { expect } from 'chai';
import { backgroundSettled, inBackground } from './background.js';

describe('background work', function () {
  it('settles once every piece of work has ended, failed ones included', async function () {
    const ended: string[] = [];
    inBackground(
      new Promise<void>((resolve) =>
        setTimeout(() => {
          ended.push('slow');
          resolve();
        }, 30),
      ),
    );
    const failing = new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('removal failed')), 10));
    inBackground(failing);
    failing.catch(() => ended.push('failed'));
    await backgroundSettled();
    expect(ended).to.have.members(['slow', 'failed']);
  });

  it('is settled before the next timer when nothing runs', async function () {
    const first = await Promise.race([
      backgroundSettled().then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('timer'), 0)),
    ]);
    expect(first).to.equal('settled');
  });
});
