import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { loadCri } from '../client/proto.js';
import { computeCoverage, coverageMarkdown, coverageSummary } from './coverage.js';
import { criSurface } from './surface.js';
import type { TestResult } from './results.js';

const { definition } = loadCri();

function call(rpc: string, role: CallRecord['role'], test: string, fields: string[] = [], codeName = 'OK'): CallRecord {
  const service = ['ListImages', 'ImageStatus', 'PullImage', 'RemoveImage', 'ImageFsInfo', 'StreamImages'].includes(rpc)
    ? 'ImageService'
    : 'RuntimeService';
  return {
    rpc,
    service,
    fields,
    code: codeName === 'OK' ? 0 : 5,
    codeName,
    startedAt: 0,
    durationMs: 1,
    test,
    role,
    stream: false,
    pid: 1,
  };
}
function test(titlePath: string[], outcome: TestResult['outcome'], message?: string): TestResult {
  return { file: 'specs/x.spec.ts', titlePath, fullTitle: titlePath.join(' '), outcome, durationMs: 1, message };
}

describe('criSurface', function () {
  it('reads the 41 RPCs of both services from api.proto', function () {
    const surface = criSurface(definition);
    expect(surface).to.have.length(41);
    expect(surface.filter((s) => s.service === 'ImageService').map((s) => s.rpc)).to.have.members([
      'ListImages',
      'StreamImages',
      'ImageStatus',
      'PullImage',
      'RemoveImage',
      'ImageFsInfo',
    ]);
    expect(surface.find((s) => s.rpc === 'GetContainerEvents')?.serverStreaming).to.equal(true);
    expect(surface.find((s) => s.rpc === 'CreateContainer')?.fieldPaths).to.include(
      'config.linux.security_context.run_as_user.value',
    );
  });
});

describe('computeCoverage', function () {
  it('attributes calls and tests to RPCs and takes the worst outcome', function () {
    const tests = [
      test(['PodSandbox', 'RunPodSandbox', 'runs a pod'], 'passed'),
      test(['PodSandbox', 'RunPodSandbox', 'rejects a bad handler'], 'failed', 'expected error'),
      test(
        ['Runtime info', 'RuntimeConfig', 'reports the driver'],
        'skipped',
        'unsupported: RuntimeConfig returned UNIMPLEMENTED',
      ),
    ];
    const calls = [
      call('RunPodSandbox', 'under-test', 'PodSandbox RunPodSandbox runs a pod', [
        'config',
        'config.metadata',
        'config.metadata.name',
      ]),
      call('RunPodSandbox', 'under-test', 'PodSandbox RunPodSandbox rejects a bad handler', [
        'config',
        'runtime_handler',
      ]),
      call('PodSandboxStatus', 'under-test', 'PodSandbox RunPodSandbox runs a pod', ['pod_sandbox_id']),
      call('StopPodSandbox', 'setup', 'PodSandbox RunPodSandbox runs a pod', ['pod_sandbox_id'], 'NOT_FOUND'),
      call('RuntimeConfig', 'setup', 'Runtime info RuntimeConfig reports the driver', [], 'UNIMPLEMENTED'),
    ];
    const c = computeCoverage(definition, calls, tests);
    const rpc = (name: string) => c.rpcs.find((r) => r.rpc === name)!;
    expect(c.rpcsTotal).to.equal(41);
    expect(rpc('RunPodSandbox')).to.include({ outcome: 'failed', callsUnderTest: 2, callsSetup: 0 });
    expect(rpc('RunPodSandbox').fieldsSet).to.deep.equal([
      'config',
      'config.metadata',
      'config.metadata.name',
      'runtime_handler',
    ]);
    expect(rpc('PodSandboxStatus').outcome, 'called under test by a passing test').to.equal('passed');
    expect(rpc('StopPodSandbox')).to.include({ outcome: 'not-exercised', callsSetup: 1 });
    expect(rpc('StopPodSandbox').statusCodes).to.deep.equal({ NOT_FOUND: 1 });
    expect(rpc('RuntimeConfig').outcome).to.equal('unsupported');
    expect(rpc('ImageFsInfo').outcome).to.equal('not-exercised');
    expect(c.rpcsExercised).to.equal(3);
    expect(coverageSummary(c)).to.match(/^RPCs 3\/41, fields \d+%$/);
    expect(coverageMarkdown(c)).to.include('| RuntimeService | RunPodSandbox | failed | 2 | 2 | 0 | OK×2 |');
  });
});
