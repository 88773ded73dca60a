import { expect } from 'chai';
import { createSocket, type Socket } from 'node:dgram';
import { udpExchange } from './net-probe.js';

describe('udpExchange', function () {
  let server: Socket | undefined;
  afterEach(function () {
    server?.close();
    server = undefined;
  });

  it('resolves with the datagram that comes back', async function () {
    server = createSocket('udp4');
    server.on('message', (msg, from) => server!.send(`echo ${msg.toString()}`, from.port, from.address));
    await new Promise<void>((r) => server!.bind(0, '127.0.0.1', r));
    expect(await udpExchange('127.0.0.1', server.address().port, 'hi', 2_000)).to.equal('echo hi');
  });

  it('fails at once with ECONNREFUSED when nothing listens on the port', async function () {
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    probe.close();
    const started = Date.now();
    const outcome = await udpExchange('127.0.0.1', port, 'hi', 5_000).then(
      (a) => `answer ${a}`,
      (err: NodeJS.ErrnoException) => err.code,
    );
    expect(outcome).to.equal('ECONNREFUSED');
    expect(Date.now() - started, 'ms until the refusal').to.be.below(2_000);
  });
});
