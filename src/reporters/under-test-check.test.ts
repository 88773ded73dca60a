import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { testsWithoutTheirCall, testsWithoutTheirFeature } from './under-test-check.js';

const call = (
  test: string,
  rpc: string,
  role: CallRecord['role'],
  hook = false,
  fields: string[] = [],
): CallRecord => ({
  rpc,
  service: 'RuntimeService',
  fields,
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

describe('testsWithoutTheirFeature', function () {
  it('names the tests with a feature whose calls under test of their RPC did not set it', function () {
    const feature = 'config.linux.security_context.capabilities';
    const tests = [
      { fullTitle: 'A', outcome: 'passed', rpc: 'CreateContainer', feature },
      { fullTitle: 'B', outcome: 'failed', rpc: 'CreateContainer', feature },
      { fullTitle: 'C', outcome: 'passed', rpc: 'CreateContainer', feature },
      { fullTitle: 'D', outcome: 'passed', rpc: 'CreateContainer', feature },
      { fullTitle: 'E', outcome: 'skipped', rpc: 'CreateContainer', feature },
      { fullTitle: 'F', outcome: 'passed', rpc: 'CreateContainer' },
    ];
    const calls = [
      call('A', 'CreateContainer', 'under-test', false, ['config', 'config.linux', feature]),
      call('B', 'CreateContainer', 'under-test', false, ['config', 'config.linux']),
      call('C', 'CreateContainer', 'setup', false, [feature]),
      call('D', 'CreateContainer', 'under-test', true, [feature]),
    ];
    expect(testsWithoutTheirFeature(tests, calls).map((t) => t.fullTitle)).to.deep.equal(['B', 'C', 'D']);
  });
});
