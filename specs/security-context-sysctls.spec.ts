// LinuxPodSandboxConfig.sysctls: a namespaced "safe" sysctl and network sysctls of the pod's own
// network namespace, read back from /proc/sys in a container of the pod.
import { expect } from 'chai';
import {
  containerConfig,
  itId,
  outputsOf,
  rpc,
  runPodUnderTest,
  useScope,
  withPodNamespaces,
  withSysctls,
} from '../src/framework/index.js';

describe('Security context', function () {
  const scope = useScope();

  rpc('RunPodSandbox', { feature: 'config.linux.sysctls' }, function () {
    // api.proto LinuxPodSandboxConfig.sysctls: "Sysctls holds linux sysctls config for the sandbox."
    // Values differ from the kernel defaults (shm_rmid_forced 0, ip_forward 0, somaxconn 4096).
    itId(
      'run-pod-sandbox.applies-pod-sysctls-inside-pod',
      'applies the pod sysctls inside the pod namespaces [linux]',
      async function () {
        const pod = await runPodUnderTest(
          scope,
          'sysctls',
          withSysctls({ 'kernel.shm_rmid_forced': '1', 'net.ipv4.ip_forward': '1', 'net.core.somaxconn': '1234' }),
        );
        const { id } = await scope.runContainer(pod, containerConfig('sysctls', withPodNamespaces(pod)));
        const read = await outputsOf(id, {
          shm: 'cat /proc/sys/kernel/shm_rmid_forced',
          forward: 'cat /proc/sys/net/ipv4/ip_forward',
          somaxconn: 'cat /proc/sys/net/core/somaxconn',
        });
        expect(read.shm.trim(), '/proc/sys/kernel/shm_rmid_forced (sysctl kernel.shm_rmid_forced=1)').to.equal('1');
        expect(read.forward.trim(), '/proc/sys/net/ipv4/ip_forward (sysctl net.ipv4.ip_forward=1)').to.equal('1');
        expect(read.somaxconn.trim(), '/proc/sys/net/core/somaxconn (sysctl net.core.somaxconn=1234)').to.equal('1234');
      },
    );
  });
});
