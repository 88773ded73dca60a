import { expect } from 'chai';
import { callOrigin, recordCall, takePendingCalls } from '../../client/call-log.js';
import { beginTestBody, endTestBody, setCurrentTest } from './current-test.js';

function call(rpc: string, origin = callOrigin()): void {
  recordCall(
    {
      rpc,
      service: 'RuntimeService',
      fields: [],
      code: 0,
      codeName: 'OK',
      startedAt: Date.now(),
      durationMs: 1,
      role: 'setup',
      stream: false,
    },
    origin,
  );
}

describe('call log: test body and hooks', function () {
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
    beginTestBody();
    call('BodyCall');
    endTestBody();
    call('CleanupCall');
    expect(takePendingCalls().map((c) => [c.rpc, c.test, c.hook ?? false])).to.deep.equal([
      ['BeforeEachCall', 'T', true],
      ['BodyCall', 'T', false],
      ['CleanupCall', 'T', true],
    ]);
  });

  it('attributes a call to where it started, also when it ends in the next test', function () {
    setCurrentTest('T');
    beginTestBody();
    const started = callOrigin();
    endTestBody();
    setCurrentTest('U');
    beginTestBody();
    call('StartedInT', started);
    expect(takePendingCalls().map((c) => [c.rpc, c.test, c.hook ?? false])).to.deep.equal([['StartedInT', 'T', false]]);
  });

  it('marks no call made outside tests', function () {
    setCurrentTest('');
    call('OutsideTests');
    expect(takePendingCalls().map((c) => [c.rpc, c.test, c.hook ?? false])).to.deep.equal([
      ['OutsideTests', '', false],
    ]);
  });
});
