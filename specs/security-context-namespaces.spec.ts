// NamespaceOption: the pod's network, PID and IPC namespaces (NODE or the pod's own), and the
// container PID namespace (POD, CONTAINER, TARGET), observed from /proc in the containers.
import { expect } from 'chai';
import {
  containerConfig, createUnderTest, hostNamespace, requireLocalRuntime, outputOf, rpc, runPodUnderTest, useScope,
  withCommand, withNamespaces, withPodNamespaces, withPodSecurityContext,
} from '../src/framework/index.js';

type Kind = 'net' | 'pid' | 'ipc';
const FIELD: Record<Kind, 'network' | 'pid' | 'ipc'> = { net: 'network', pid: 'pid', ipc: 'ipc' };
/** A process no other container runs, to find in a PID namespace. */
const MARKER = ['sleep', '86399'];

describe('Security context', function () {
  const scope = useScope();

  /** `readlink /proc/self/ns/<kind>` in a container. */
  async function namespaceOf(id: string, kind: Kind): Promise<string> {
    return (await outputOf(id, `readlink /proc/self/ns/${kind}`)).trim();
  }

  /** Process command lines a container sees (`ps -o args`). */
  async function processesSeenBy(id: string): Promise<string[]> {
    return (await outputOf(id, 'ps -o args')).split('\n').map((l) => l.trim());
  }

  rpc('RunPodSandbox', function () {
    // api.proto NamespaceMode NODE: "A NODE namespace is the namespace of the Kubernetes node."
    for (const kind of ['net', 'pid', 'ipc'] as const) {
      it(`puts the containers in the node's ${kind} namespace with ${FIELD[kind]} NODE [linux]`, async function () {
        requireLocalRuntime(this, `to compare with the host's ${kind} namespace`);
        const pod = await runPodUnderTest(scope, `host-${kind}`, withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD', [FIELD[kind]]: 'NODE' } }));
        const { id } = await scope.runContainer(pod, containerConfig(`host-${kind}`, withPodNamespaces(pod)));
        expect(await namespaceOf(id, kind), `/proc/self/ns/${kind} in the container vs the host's`).to.equal(hostNamespace(kind));
      });

      // api.proto NamespaceMode POD: "A POD namespace is common to all containers in a pod."
      it(`keeps the containers out of the node's ${kind} namespace without NODE [linux]`, async function () {
        requireLocalRuntime(this, `to compare with the host's ${kind} namespace`);
        const pod = await runPodUnderTest(scope, `own-${kind}`, withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } }));
        const { id } = await scope.runContainer(pod, containerConfig(`own-${kind}`, withPodNamespaces(pod)));
        expect(await namespaceOf(id, kind), `/proc/self/ns/${kind} in the container vs the host's`).to.not.equal(hostNamespace(kind));
      });
    }

    // api.proto NamespaceMode NODE: "the namespace of the Kubernetes node" is one namespace for
    // every NODE pod, and not the namespace of a pod without NODE. Needs no access to the host.
    for (const kind of ['net', 'pid', 'ipc'] as const) {
      it(`gives two ${FIELD[kind]} NODE pods one ${kind} namespace, apart from a pod's own [linux]`, async function () {
        const node = { network: 'POD', pid: 'CONTAINER', ipc: 'POD', [FIELD[kind]]: 'NODE' } as const;
        const first = await runPodUnderTest(scope, `node-a-${kind}`, withPodSecurityContext({ namespace_options: node }));
        const second = await runPodUnderTest(scope, `node-b-${kind}`, withPodSecurityContext({ namespace_options: node }));
        const own = await runPodUnderTest(scope, `own-b-${kind}`, withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } }));
        const [a, b, c] = await Promise.all(
          [first, second, own].map(async (pod, i) => (await scope.runContainer(pod, containerConfig(`ns-${kind}-${i}`, withPodNamespaces(pod)))).id),
        );
        const nodeNs = await namespaceOf(a, kind);
        expect(await namespaceOf(b, kind), `${kind} namespace of a second NODE pod vs the first`).to.equal(nodeNs);
        expect(await namespaceOf(c, kind), `${kind} namespace of a pod without NODE vs a NODE pod`).to.not.equal(nodeNs);
      });
    }

    // api.proto NamespaceMode POD: "A POD namespace is common to all containers in a pod."
    it('shares one network and IPC namespace among the containers of a pod [linux]', async function () {
      const pod = await runPodUnderTest(scope, 'shared-net-ipc', withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } }));
      const a = await scope.runContainer(pod, containerConfig('shared-a', withPodNamespaces(pod)));
      const b = await scope.runContainer(pod, containerConfig('shared-b', withPodNamespaces(pod)));
      expect(await namespaceOf(b.id, 'net'), 'net namespace of the second container vs the first').to.equal(await namespaceOf(a.id, 'net'));
      expect(await namespaceOf(b.id, 'ipc'), 'ipc namespace of the second container vs the first').to.equal(await namespaceOf(a.id, 'ipc'));
    });
  });

  rpc('CreateContainer', function () {
    // api.proto NamespaceMode POD: "a container with a PID namespace of POD expects to view all of
    // the processes in all of the containers in the pod."
    it('shows the processes of every container of the pod with pid POD [linux]', async function () {
      const pod = await scope.runPod('pid-pod', withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' } }));
      await scope.runContainer(pod, containerConfig('pid-pod-marker', withPodNamespaces(pod), withCommand(...MARKER)));
      const id = await createUnderTest(scope, pod, containerConfig('pid-pod-viewer', withPodNamespaces(pod)));
      expect(await processesSeenBy(id), 'ps in a pid POD container, looking for the other container').to.include(MARKER.join(' '));
    });

    // api.proto NamespaceMode CONTAINER: "a container with a PID namespace of CONTAINER expects to
    // view only the processes in that container."
    it('hides the other containers of the pod with pid CONTAINER [linux]', async function () {
      const pod = await scope.runPod('pid-container');
      await scope.runContainer(pod, containerConfig('pid-ctr-marker', withNamespaces({ pid: 'CONTAINER' }), withCommand(...MARKER)));
      const id = await createUnderTest(scope, pod, containerConfig('pid-ctr-viewer', withNamespaces({ pid: 'CONTAINER' })));
      const seen = await processesSeenBy(id);
      expect(seen, 'ps in a pid CONTAINER container').to.not.include(MARKER.join(' '));
      const init = await outputOf(id, "tr '\\0' ' ' < /proc/1/cmdline");
      expect(init, 'PID 1 of a pid CONTAINER container is its own command').to.include('while :; do sleep 1; done');
    });

    // api.proto NamespaceMode TARGET: "a container with a PID namespace of TARGET expects to view
    // all of the processes that container target_id can view."
    it('joins the PID namespace of target_id with pid TARGET [linux]', async function () {
      const pod = await scope.runPod('pid-target');
      const target = await scope.runContainer(pod, containerConfig('pid-target', withNamespaces({ pid: 'CONTAINER' }), withCommand(...MARKER)));
      const id = await createUnderTest(scope, pod, containerConfig('pid-targeting', withNamespaces({ pid: 'TARGET', target_id: target.id })));
      expect(await namespaceOf(id, 'pid'), 'pid namespace of the TARGET container vs its target').to.equal(await namespaceOf(target.id, 'pid'));
      expect(await processesSeenBy(id), 'ps in the TARGET container, looking for the target process').to.include(MARKER.join(' '));
    });
  });
});
