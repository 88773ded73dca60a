// LinuxContainerSecurityContext.capabilities: add, drop (one and ALL) and ambient capabilities,
// observed in the capability sets of /proc/self/status and in what the process may do.
import { expect } from 'chai';
import {
  containerProcStatus,
  grantableAndProcStatus,
  itId,
  perTest,
  PROC_STATUS,
  procStatusFrom,
  rpc,
  runningIn,
  runUnderTestIn,
  shellParts,
  useScope,
  useWorkerPod,
  withSecurityContext,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();
  const pod = useWorkerPod();
  // The two add_capabilities tests read different capability sets of one config.
  const added = perTest(
    runningIn(pod, 'cap-add', withSecurityContext({ capabilities: { add_capabilities: ['SYS_ADMIN'] } })),
  );

  rpc('CreateContainer', { feature: 'config.linux.security_context.capabilities' }, function () {
    // api.proto Capability: "If a capability is added to only the add_capabilities list then it
    // gets added to permitted, inheritable, effective and bounding sets, i.e. all sets except the
    // ambient set."
    itId(
      'create-container.adds-capability-add-capabilities-effective',
      'adds a capability from add_capabilities to the effective, permitted and bounding sets [linux]',
      async function () {
        const { id } = await added.get();
        const { caps } = await containerProcStatus(id);
        expect(caps.eff, 'CapEff with add_capabilities [SYS_ADMIN]').to.include('SYS_ADMIN');
        expect(caps.prm, 'CapPrm with add_capabilities [SYS_ADMIN]').to.include('SYS_ADMIN');
        expect(caps.bnd, 'CapBnd with add_capabilities [SYS_ADMIN]').to.include('SYS_ADMIN');
        expect(caps.amb, 'CapAmb with add_capabilities [SYS_ADMIN] only').to.not.include('SYS_ADMIN');
      },
    );

    // api.proto Capability: add_capabilities alone "gets added to permitted, inheritable,
    // effective and bounding sets".
    it('adds a capability from add_capabilities to the inheritable set [linux]', async function () {
      const { id } = await added.get();
      const { caps } = await containerProcStatus(id);
      expect(caps.inh, 'CapInh with add_capabilities [SYS_ADMIN]').to.include('SYS_ADMIN');
    });

    // api.proto Capability: "Dropping a capability will drop it from all sets."
    it('drops a capability from drop_capabilities out of every set [linux]', async function () {
      const id = await runUnderTestIn(
        scope,
        pod,
        'cap-drop',
        withSecurityContext({ capabilities: { drop_capabilities: ['CHOWN'] } }),
      );
      const { parts, stderr } = await shellParts(id, {
        status: PROC_STATUS,
        chown: 'touch /tmp/owned && chown 1234 /tmp/owned',
      });
      if (parts.status.exitCode !== 0) throw new Error(`${PROC_STATUS} exited ${parts.status.exitCode}: ${stderr}`);
      const { caps } = procStatusFrom(parts.status.stdout);
      const holding = Object.entries(caps)
        .filter(([, names]) => names.includes('CHOWN'))
        .map(([set]) => set);
      expect(
        holding,
        'capability sets (eff, prm, bnd, inh, amb) still holding CHOWN after drop_capabilities [CHOWN]',
      ).to.deep.equal([]);
      expect(parts.chown.exitCode, `exit code of chown as root without CAP_CHOWN (stderr: ${stderr})`).to.not.equal(0);
    });

    // api.proto Capability.drop_capabilities "List of capabilities to drop" with the kubelet's
    // "ALL" (Kubernetes SecurityContext capabilities.drop: ["ALL"]).
    it('drops every capability with drop_capabilities ALL [linux]', async function () {
      const id = await runUnderTestIn(
        scope,
        pod,
        'cap-drop-all',
        withSecurityContext({ capabilities: { drop_capabilities: ['ALL'] } }),
      );
      const { caps } = await containerProcStatus(id);
      expect(caps.eff, 'CapEff with drop_capabilities [ALL]').to.deep.equal([]);
      expect(caps.prm, 'CapPrm with drop_capabilities [ALL]').to.deep.equal([]);
      expect(caps.bnd, 'CapBnd with drop_capabilities [ALL]').to.deep.equal([]);
    });

    // api.proto Capability.add_capabilities "List of capabilities to add" with the kubelet's "ALL".
    it('adds every capability with add_capabilities ALL [linux]', async function () {
      const id = await runUnderTestIn(
        scope,
        pod,
        'cap-add-all',
        withSecurityContext({ capabilities: { add_capabilities: ['ALL'] } }),
      );
      const {
        grantable: wanted,
        status: { caps },
      } = await grantableAndProcStatus(id);
      expect(caps.eff, 'CapEff with add_capabilities [ALL]').to.include.members(wanted);
      expect(caps.bnd, 'CapBnd with add_capabilities [ALL]').to.include.members(wanted);
    });

    // api.proto Capability: "If a capability is added to only the add_ambient_capabilities list
    // then it gets added to all sets, i.e permitted inheritable, effective, bounding and ambient sets."
    it('gives a non-root process an ambient capability from add_ambient_capabilities [linux]', async function () {
      const id = await runUnderTestIn(
        scope,
        pod,
        'cap-ambient',
        withSecurityContext({
          run_as_user: { value: '1234' },
          capabilities: { add_ambient_capabilities: ['NET_BIND_SERVICE'] },
        }),
      );
      const { caps } = await containerProcStatus(id);
      expect(caps.amb, 'CapAmb of uid 1234 with add_ambient_capabilities [NET_BIND_SERVICE]').to.include(
        'NET_BIND_SERVICE',
      );
      expect(caps.eff, 'CapEff of uid 1234 with add_ambient_capabilities [NET_BIND_SERVICE]').to.include(
        'NET_BIND_SERVICE',
      );
      expect(caps.inh, 'CapInh with add_ambient_capabilities [NET_BIND_SERVICE]').to.include('NET_BIND_SERVICE');
    });
  });
});
