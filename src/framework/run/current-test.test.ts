import { expect } from 'chai';
import { recordCall, takePendingCalls } from '../../client/call-log.js';
import { roleOf } from '../../client/call.js';
import { callObserver, runAsTest, setCurrentTest } from './current-test.js';

function call(rpc: string, origin = callObserver()): void {
  recordCall(
    {
      rpc,
      service: 'RuntimeService',
      fields: [],
      code: 0,
      codeName: 'OK',
      startedAt: Date.now(),
      durationMs: 1,
      role: roleOf(rpc, origin, { role: 'setup' }),
      stream: false,
    },
    origin,
  );
}

const seen = (): [string, string, boolean, string][] =>
  takePendingCalls().map((c) => [c.rpc, c.test, c.hook ?? false, c.role]);

describe('call log: test identity', function () {
  beforeEach(function () {
    takePendingCalls();
  });
  afterEach(function () {
    setCurrentTest('');
    takePendingCalls();
  });

  it('marks the calls of a test made before its body began and after it ended as hook calls', function () {
    setCurrentTest('T');
    call('BeforeEachCall');
    runAsTest({ test: 'T' }, () => call('BodyCall'));
    call('CleanupCall');
    expect(seen()).to.deep.equal([
      ['BeforeEachCall', 'T', true, 'setup'],
      ['BodyCall', 'T', false, 'setup'],
      ['CleanupCall', 'T', true, 'setup'],
    ]);
  });

  it('credits a fixture started by one test to it, also when it calls on while the next test runs', async function () {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    setCurrentTest('T');
    const fixture = runAsTest({ test: 'T' }, () => gate.then(() => call('FixtureCall')));
    setCurrentTest('U');
    await runAsTest({ test: 'U' }, async () => {
      call('OwnCall');
      release();
      await fixture;
    });
    expect(seen()).to.deep.equal([
      ['OwnCall', 'U', false, 'setup'],
      ['FixtureCall', 'T', false, 'setup'],
    ]);
  });

  it("records a call of the test's RPC as the call under test, in its body only", function () {
    setCurrentTest('T');
    runAsTest({ test: 'T', rpcUnderTest: 'CreateContainer' }, () => {
      call('CreateContainer');
      call('StartContainer');
    });
    call('CreateContainer');
    expect(seen()).to.deep.equal([
      ['CreateContainer', 'T', false, 'under-test'],
      ['StartContainer', 'T', false, 'setup'],
      ['CreateContainer', 'T', true, 'setup'],
    ]);
  });

  it('marks no call made outside tests', function () {
    setCurrentTest('');
    call('OutsideTests');
    expect(seen()).to.deep.equal([['OutsideTests', '', false, 'setup']]);
  });
});
