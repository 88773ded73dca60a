// RuntimeService: Version, Status, RuntimeConfig — what a runtime says about itself.
import { expect } from 'chai';
import { cri, itId, requireRpc, rpc, useScope } from '../src/framework/index.js';

describe('Runtime info', function () {
  useScope();

  rpc('Version', function () {
    // api.proto VersionResponse: runtime_name, runtime_version and runtime_api_version
    // ("API version of the container runtime"); a runtime.v1 runtime reports "v1".
    itId(
      'version.reports-cri-api-version-v1',
      'reports CRI API version v1 with a runtime name and version',
      async function () {
        const v = await cri().runtime.Version({ version: 'v1' });
        expect(v.runtime_api_version, 'VersionResponse.runtime_api_version').to.equal('v1');
        expect(v.runtime_name, 'VersionResponse.runtime_name').to.be.a('string').and.not.equal('');
        expect(v.runtime_version, 'VersionResponse.runtime_version').to.be.a('string').and.not.equal('');
      },
    );
  });

  rpc('Status', function () {
    // api.proto RuntimeCondition: "The required conditions include: RuntimeReady ... NetworkReady".
    for (const type of ['RuntimeReady', 'NetworkReady']) {
      itId(`status.${type.toLowerCase()}-condition-true`, `reports the ${type} condition as true`, async function () {
        const { status } = await cri().runtime.Status({ verbose: false });
        const conditions = status?.conditions ?? [];
        const condition = conditions.find((c) => c.type === type);
        expect(
          condition,
          `RuntimeStatus.conditions[type=${type}] among ${JSON.stringify(conditions.map((c) => c.type))}`,
        ).to.not.equal(undefined);
        expect(condition!.status, `${type}.status (reason ${condition!.reason}: ${condition!.message})`).to.equal(true);
      });
    }

    // api.proto StatusResponse.info: extra information for debugging, returned when verbose is true.
    itId(
      'status.returns-debug-info-when-verbose',
      'returns debug info when verbose',
      async function () {
        const { info } = await cri().runtime.Status({ verbose: true });
        expect(Object.keys(info), 'StatusResponse.info keys with verbose=true').to.have.length.greaterThan(0);
      },
      { feature: 'verbose' },
    );
  });

  rpc('RuntimeConfig', function () {
    // KubeletCgroupDriverFromCRI: the runtime tells kubelet which cgroup driver it uses.
    it('reports the linux cgroup driver [optional]', async function () {
      await requireRpc(this, 'RuntimeConfig');
      const res = await cri().runtime.RuntimeConfig({});
      expect(res.linux, 'RuntimeConfigResponse.linux').to.not.equal(null);
      expect(res.linux!.cgroup_driver, 'LinuxRuntimeConfiguration.cgroup_driver').to.be.oneOf(['SYSTEMD', 'CGROUPFS']);
    });
  });
});
