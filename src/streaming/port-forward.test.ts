import { expect } from 'chai';
import { ForwardedConnection } from './port-forward.js';

describe('ForwardedConnection.until', function () {
  const connection = (): ForwardedConnection =>
    new ForwardedConnection('test', { send: () => undefined, end: () => undefined });

  it('resolves with the data so far as soon as the check holds, before the server ends the connection', async function () {
    const c = connection();
    const whole = c.until((data) => data.toString().endsWith('!'));
    c.receive('data', Buffer.from('hello '));
    c.receive('error', Buffer.from('late'));
    c.receive('data', Buffer.from('world!'));
    expect(await whole).to.deep.equal({ data: Buffer.from('hello world!'), error: 'late' });
  });

  it('resolves at the end of the connection when the check never holds, and rejects when it fails', async function () {
    const ended = connection();
    const got = ended.until(() => false);
    ended.receive('data', Buffer.from('part'));
    ended.finish();
    expect((await got).data.toString()).to.equal('part');
    const failed = connection();
    const lost = failed.until(() => false);
    failed.fail(new Error('reset'));
    try {
      await lost;
      expect.fail('until() resolved for a failed connection');
    } catch (err) {
      expect((err as Error).message).to.equal('reset');
    }
  });
});
