import { expect } from 'chai';
import { loadCri } from './proto.js';
import { requestFieldPaths, summarizeRequest } from './field-paths.js';

describe('requestFieldPaths', function () {
  const { definition } = loadCri();
  it('lists deep paths of set fields, maps as one path, repeated messages by element fields', function () {
    const paths = requestFieldPaths(definition, 'RunPodSandboxRequest', {
      config: {
        metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 },
        labels: { a: 'b', 'io.x/y': 'z' },
        port_mappings: [{ container_port: 80, host_port: 8080 }],
        linux: { security_context: { run_as_user: { value: '0' }, privileged: true } },
      },
      runtime_handler: '',
    });
    expect(paths).to.deep.equal([
      'config',
      'config.labels',
      'config.linux',
      'config.linux.security_context',
      'config.linux.security_context.privileged',
      'config.linux.security_context.run_as_user',
      'config.metadata',
      'config.metadata.name',
      'config.metadata.namespace',
      'config.metadata.uid',
      'config.port_mappings',
      'config.port_mappings.container_port',
      'config.port_mappings.host_port',
    ]);
  });
  it("counts a string field's '0' as set and an int64 '0' as unset", function () {
    const paths = requestFieldPaths(definition, 'UpdateContainerResourcesRequest', {
      container_id: 'c',
      linux: { cpuset_cpus: '0', cpu_quota: '0' },
    });
    expect(paths).to.deep.equal(['container_id', 'linux', 'linux.cpuset_cpus']);
  });
  it('ignores fields the message does not define', function () {
    expect(requestFieldPaths(definition, 'StatusRequest', { verbose: true, bogus: 1 })).to.deep.equal(['verbose']);
  });
  it('summarizes identifying fields', function () {
    expect(summarizeRequest({ container_id: 'abc', cmd: ['sh', '-c', 'true'], timeout: '5' })).to.equal(
      'container_id=abc cmd="sh -c true" timeout=5',
    );
  });
});
