import { expect } from 'chai';
import type { CallRecord } from '../client/call-log.js';
import { messageDescriptor } from '../client/descriptors.js';
import { loadCri } from '../client/proto.js';
import { computeCoverage, coverageMarkdown } from './coverage.js';
import { pathFields, type MessageTypeCoverage } from './message-coverage.js';
import type { TestResult } from './results.js';

const { definition } = loadCri();

function call(rpc: string, role: CallRecord['role'], fields: string[], test = 'T'): CallRecord {
  const service = ['PullImage', 'ImageStatus', 'ListImages', 'RemoveImage'].includes(rpc)
    ? 'ImageService'
    : 'RuntimeService';
  return {
    rpc,
    service,
    fields,
    code: 0,
    codeName: 'OK',
    startedAt: 0,
    durationMs: 1,
    test,
    role,
    stream: false,
    pid: 1,
  };
}
function skipped(titlePath: string[], rpc: string, message: string, feature?: string): TestResult {
  const fullTitle = titlePath.join(' ');
  return { file: 'specs/x.spec.ts', titlePath, fullTitle, outcome: 'skipped', durationMs: 0, message, rpc, feature };
}
function typeOf(types: readonly MessageTypeCoverage[], name: string): MessageTypeCoverage {
  const t = types.find((m) => m.type === name);
  expect(t, `message type ${name} in the report`).to.not.equal(undefined);
  return t!;
}
const unsetReason = (t: MessageTypeCoverage, field: string): string | undefined =>
  t.unset.find((u) => u.field === field)?.reason;

describe('computeCoverage by message type', function () {
  it('lists each message type reachable from the requests once, with its own fields from api.proto', function () {
    const c = computeCoverage(definition, [], []);
    const names = c.messageTypes.map((t) => t.type);
    expect(new Set(names).size, 'no type listed twice').to.equal(names.length);
    expect(names).to.include.members([
      'RunPodSandboxRequest',
      'PodSandboxConfig',
      'ContainerConfig',
      'LinuxContainerResources',
      'Mount',
      'AuthConfig',
      'ImageSpec',
      'WindowsContainerResources',
    ]);
    expect(names, 'responses are not reached from requests').to.not.include('PodSandboxStatus');
    const pod = typeOf(c.messageTypes, 'PodSandboxConfig');
    expect(pod.fieldsTotal).to.equal(messageDescriptor(definition, 'PodSandboxConfig')!.field.length);
    expect(pod.fieldsSet).to.deep.equal([]);
    expect(c.messageFieldsTotal).to.equal(c.messageTypes.reduce((n, t) => n + t.fieldsTotal, 0));
    expect(c.messageFieldsSet).to.equal(0);
  });

  it('does not count a field that only a setup call set', function () {
    const calls = [
      call('RunPodSandbox', 'setup', ['config', 'config.hostname']),
      call('RunPodSandbox', 'under-test', ['config', 'config.metadata', 'config.metadata.name']),
    ];
    const c = computeCoverage(definition, calls, []);
    const pod = typeOf(c.messageTypes, 'PodSandboxConfig');
    expect(pod.fieldsSet).to.deep.equal(['metadata']);
    expect(unsetReason(pod, 'hostname')).to.equal('missing test');
    expect(c.rpcs.find((r) => r.rpc === 'RunPodSandbox')!.fieldsSet, 'per RPC as well').to.deep.equal([
      'config',
      'config.metadata',
      'config.metadata.name',
    ]);
    expect(c.messageFieldsSet).to.equal(3); // RunPodSandboxRequest.config, PodSandboxConfig.metadata, PodSandboxMetadata.name
  });

  it('counts a type reached by two request paths once', function () {
    const calls = [
      call('RunPodSandbox', 'under-test', ['config', 'config.hostname']),
      call('CreateContainer', 'under-test', ['sandbox_config', 'sandbox_config.hostname']),
      call('PullImage', 'under-test', ['sandbox_config', 'sandbox_config.hostname', 'sandbox_config.log_directory']),
    ];
    const c = computeCoverage(definition, calls, []);
    expect(typeOf(c.messageTypes, 'PodSandboxConfig').fieldsSet).to.deep.equal(['hostname', 'log_directory']);
    // RunPodSandboxRequest.config, CreateContainerRequest.sandbox_config, PullImageRequest.sandbox_config
    expect(c.messageFieldsSet).to.equal(3 + 2);
    expect(c.fieldsSet, 'per RPC path, each path counts').to.equal(2 + 2 + 3);
  });

  it('keeps a map field one field and lists no map entry as a type', function () {
    const c = computeCoverage(definition, [call('RunPodSandbox', 'under-test', ['config', 'config.labels'])], []);
    expect(typeOf(c.messageTypes, 'PodSandboxConfig').fieldsSet).to.deep.equal(['labels']);
    expect(c.messageTypes.map((t) => t.type)).to.not.include.members(['Labels', 'LabelsEntry', 'Annotations']);
    expect(pathFields(definition, 'RunPodSandboxRequest', 'config.labels.app')).to.deep.equal([
      { type: 'RunPodSandboxRequest', field: 'config' },
      { type: 'PodSandboxConfig', field: 'labels' },
    ]);
  });

  it('gives Windows fields the reason windows only and marks deprecated fields, which still count', function () {
    const c = computeCoverage(definition, [], []);
    const windows = typeOf(c.messageTypes, 'WindowsContainerResources');
    expect(windows.unset.length).to.equal(windows.fieldsTotal);
    expect(windows.unset.every((u) => u.reason === 'windows only')).to.equal(true);
    expect(unsetReason(typeOf(c.messageTypes, 'ContainerConfig'), 'windows')).to.equal('windows only');
    expect(unsetReason(typeOf(c.messageTypes, 'ContainerConfig'), 'linux')).to.equal('missing test');
    const sc = typeOf(c.messageTypes, 'LinuxContainerSecurityContext');
    expect(sc.unset.find((u) => u.field === 'apparmor_profile')).to.include({ deprecated: true });
    expect(sc.fieldsTotal).to.equal(messageDescriptor(definition, 'LinuxContainerSecurityContext')!.field.length);
  });

  it('takes unsupported here and host lacks from the tests about a field that skipped', function () {
    const tests = [
      skipped(
        ['Security context', 'CreateContainer', 'labels the process'],
        'CreateContainer',
        'host lacks SELinux: /sys/fs/selinux is not mounted on this kernel',
        'config.linux.security_context.selinux_options',
      ),
      skipped(
        ['Container', 'StopContainer', 'sends the stop signal'],
        'CreateContainer',
        'unsupported: ContainerStatus.stop_signal is RUNTIME_DEFAULT',
        'config.stop_signal',
      ),
      skipped(
        ['PodSandbox', 'UpdatePodSandboxResources', 'accepts new resources'],
        'UpdatePodSandboxResources',
        'unsupported: UpdatePodSandboxResources returned UNIMPLEMENTED',
        'resources',
      ),
    ];
    const calls = [
      call('CreateContainer', 'under-test', [
        'config',
        'config.linux',
        'config.linux.resources',
        'config.linux.resources.memory_limit_in_bytes',
      ]),
    ];
    const c = computeCoverage(definition, calls, tests);
    const sc = typeOf(c.messageTypes, 'LinuxContainerSecurityContext');
    expect(sc.unset.find((u) => u.field === 'selinux_options')).to.deep.include({
      reason: 'host lacks',
      why: 'host lacks SELinux: /sys/fs/selinux is not mounted on this kernel ("labels the process" skipped)',
    });
    expect(unsetReason(sc, 'privileged')).to.equal('missing test');
    expect(unsetReason(typeOf(c.messageTypes, 'SELinuxOption'), 'level'), 'below the skipped field').to.equal(
      'host lacks',
    );
    expect(unsetReason(typeOf(c.messageTypes, 'ContainerConfig'), 'stop_signal')).to.equal('unsupported here');
    expect(unsetReason(typeOf(c.messageTypes, 'UpdatePodSandboxResourcesRequest'), 'overhead')).to.equal(
      'unsupported here',
    );
    expect(
      unsetReason(typeOf(c.messageTypes, 'LinuxContainerResources'), 'cpu_period'),
      'reached by CreateContainer too, which was tested',
    ).to.equal('missing test');
    expect(
      unsetReason(typeOf(c.messageTypes, 'HugepageLimit'), 'page_size'),
      'below a type a call touched, the skip of UpdatePodSandboxResources does not reach',
    ).to.equal('missing test');
    const md = coverageMarkdown(c);
    expect(md).to.include('## Field coverage by message type');
    expect(md).to.match(/\| SELinuxOption \| 0\/4 \(0%\) \| {2}\| 4 \| {2}\| {2}\|/);
  });
});
