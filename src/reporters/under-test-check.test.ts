import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { testsWithoutTheirCall } from './under-test-check.js';

const call = (test: string, rpc: string, role: CallRecord['role'], hook = false): CallRecord => ({
  rpc,
  service: 'RuntimeService',
  fields: [],
  code: 0,
  codeName: 'OK',
  startedAt: 0,
  durationMs: 1,
  test,
  pid: 1,
  role,
  stream: false,
  ...(hook ? { hook: true as const } : {}),
});

describe('testsWithoutTheirCall', function () {
  it('names the tests under rpc(X) that did not call X as the call under test in their body', function () {
    const tests = [
      { fullTitle: 'A', outcome: 'passed', rpc: 'CreateContainer' },
      { fullTitle: 'B', outcome: 'failed', rpc: 'CreateContainer' },
      { fullTitle: 'C', outcome: 'passed', rpc: 'StopContainer' },
      { fullTitle: 'D', outcome: 'passed', rpc: 'StopContainer' },
      { fullTitle: 'E', outcome: 'skipped', rpc: 'StopContainer' },
      { fullTitle: 'F', outcome: 'passed' },
    ];
    const calls = [
      call('A', 'CreateContainer', 'under-test'),
      call('B', 'CreateContainer', 'setup'),
      call('C', 'StopContainer', 'under-test', true),
      call('D', 'StopContainer', 'under-test'),
    ];
    expect(testsWithoutTheirCall(tests, calls).map((t) => t.fullTitle)).to.deep.equal(['B', 'C']);
  });
});
