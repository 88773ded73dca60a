// RuntimeService: Status runtime_handlers and features (reported optionally), UpdateRuntimeConfig.
import { expect } from 'chai';
import { cri, ctx, expectOk, itId, requireReported, rpc, useScope } from '../src/framework/index.js';

describe('Runtime info', function () {
  useScope();

  rpc('Status', function () {
    // api.proto RuntimeHandler.name: "Name must be unique in StatusResponse."
    it('lists runtime handlers with unique names [optional]', async function () {
      const { runtime_handlers: handlers } = await cri().runtime.Status({ verbose: false });
      requireReported(this, 'Status.runtime_handlers', handlers.length > 0, 'Status did not report runtime_handlers');
      const names = handlers.map((h) => h.name);
      expect(
        names.filter((n, i) => names.indexOf(n) !== i),
        `StatusResponse.runtime_handlers names listed twice among ${JSON.stringify(names)}`,
      ).to.deep.equal([]);
    });

    // api.proto RuntimeHandler.name: "An empty string denotes the default handler."
    it('lists the runtime handler the suite runs pods with [optional]', async function () {
      const { runtime_handlers: handlers } = await cri().runtime.Status({ verbose: false });
      requireReported(this, 'Status.runtime_handlers', handlers.length > 0, 'Status did not report runtime_handlers');
      expect(
        handlers.map((h) => h.name),
        `StatusResponse.runtime_handlers names (looking for ${JSON.stringify(ctx().runtimeHandler)})`,
      ).to.include(ctx().runtimeHandler);
    });

    // api.proto StatusResponse.info: "It should only be returned non-empty when Verbose is true."
    itId('status.returns-no-debug-info-when', 'returns no debug info when not verbose', async function () {
      const { info } = await cri().runtime.Status({ verbose: false });
      expect(Object.keys(info), 'StatusResponse.info keys with verbose=false').to.deep.equal([]);
    });
  });

  rpc('UpdateRuntimeConfig', function () {
    // api.proto NetworkConfig.pod_cidr: "CIDR to use for pod IP addresses". kubelet sends the
    // node's pod CIDR. This changes global runtime state and cannot be read back through CRI to
    // be restored; 10.88.0.0/16 is containerd's and CRI-O's default pod network.
    itId(
      'update-runtime-config.accepts-pod-cidr',
      'accepts a pod CIDR [serial]',
      async function () {
        await expectOk(
          cri().runtime.UpdateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: '10.88.0.0/16' } } }),
          'UpdateRuntimeConfig with pod_cidr 10.88.0.0/16',
        );
        const { status } = await cri().runtime.Status({ verbose: false }, { role: 'setup' });
        const ready = status?.conditions.find((c) => c.type === 'RuntimeReady');
        expect(ready?.status, 'RuntimeReady condition after UpdateRuntimeConfig').to.equal(true);
      },
      { feature: 'runtime_config.network_config.pod_cidr' },
    );

    // api.proto NetworkConfig.pod_cidr: "If the CIDR is empty, runtimes should omit it."
    itId('update-runtime-config.accepts-empty-pod-cidr', 'accepts an empty pod CIDR', async function () {
      await expectOk(
        cri().runtime.UpdateRuntimeConfig({ runtime_config: { network_config: { pod_cidr: '' } } }),
        'UpdateRuntimeConfig with an empty pod_cidr',
      );
    });
  });
});
