// NamespaceOption: the pod's network, PID and IPC namespaces (NODE or the pod's own), and the
// container PID namespace (POD, CONTAINER, TARGET), observed from /proc in the containers.
import { expect } from 'chai';
import {
  containerConfig,
  containerRunning,
  createUnderTest,
  DEFAULT_SCRIPT,
  hostNamespace,
  itId,
  outputOf,
  outputsOf,
  perTest,
  type Pod,
  podOf,
  podReady,
  requireLocalRuntime,
  rpc,
  runningIn,
  runPodUnderTest,
  shared,
  together,
  useScope,
  withCommand,
  withNamespaces,
  withPodNamespaces,
  withPodSecurityContext,
} from '../src/framework/index.js';

type Kind = 'net' | 'pid' | 'ipc';
const KINDS = ['net', 'pid', 'ipc'] as const;
const FIELD: Record<Kind, 'network' | 'pid' | 'ipc'> = { net: 'network', pid: 'pid', ipc: 'ipc' };
/** A process no other container runs, to find in a PID namespace. */
const MARKER = ['sleep', '86399'];
/** The namespace options of a pod without NODE (the suite's default pod). */
const OWN = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } as const;
/** The namespace options of a pod with `kind` NODE. */
const nodeOptions = (kind: Kind) => ({ ...OWN, [FIELD[kind]]: 'NODE' }) as const;

describe('Security context', function () {
  const scope = useScope();
  // A pod without NODE that tests compare with or run next to, and only read: its one container
  // (pid CONTAINER, running MARKER) is the other container, or the target, of the pid CONTAINER
  // and TARGET tests, and the "pod's own" namespaces that two NODE pods do not share.
  const own = shared(podOf('own-ns', withPodSecurityContext({ namespace_options: OWN })), podReady);
  const ownContainer = shared(runningIn(own, 'own-ns', withNamespaces(OWN), withCommand(...MARKER)), containerRunning);

  /**
   * `readlink /proc/self/ns/{net,pid,ipc}` in a container, in one ExecSync. A container's
   * namespaces are fixed while it runs, so the shared containers are read once, not per test.
   */
  const read = new Map<string, Promise<Record<Kind, string>>>();
  function namespacesOf(id: string): Promise<Record<Kind, string>> {
    let seen = read.get(id);
    if (!seen) {
      seen = outputsOf(id, {
        net: 'readlink /proc/self/ns/net',
        pid: 'readlink /proc/self/ns/pid',
        ipc: 'readlink /proc/self/ns/ipc',
      }).then((out) => ({ net: out.net.trim(), pid: out.pid.trim(), ipc: out.ipc.trim() }));
      seen.catch(() => read.delete(id));
      read.set(id, seen);
    }
    return seen;
  }
  async function namespaceOf(id: string, kind: Kind): Promise<string> {
    return (await namespacesOf(id))[kind];
  }

  /** Process command lines in `ps -o args` output. */
  const processes = (ps: string): string[] => ps.split('\n').map((l) => l.trim());

  rpc('RunPodSandbox', { feature: 'config.linux.security_context.namespace_options' }, function () {
    // Each test runs its own pod under test (RunPodSandbox its call under test): without NODE,
    // or NODE for one kind, with one container whose namespaces it reads.
    const ownPod = perTest(podOf('own-ns', withPodSecurityContext({ namespace_options: OWN })));
    const nodePod = perTest<Pod, Kind>((made, call) =>
      podOf(`node-${call.key}`, withPodSecurityContext({ namespace_options: nodeOptions(call.key as Kind) }))(
        made,
        call,
      ),
    );
    /** The container of the test's own pod without NODE. */
    async function ownPodContainer(): Promise<string> {
      const pod = await ownPod.get();
      return (await scope.runContainer(pod, 'own-ns', withNamespaces(OWN), withCommand(...MARKER))).id;
    }
    /** The container of the test's own NODE pod of `kind`. */
    async function nodePodContainer(kind: Kind): Promise<string> {
      const pod = await nodePod.get(kind);
      return (await scope.runContainer(pod, `node-${kind}`, withNamespaces(nodeOptions(kind)))).id;
    }

    // api.proto NamespaceMode NODE: "A NODE namespace is the namespace of the Kubernetes node."
    for (const kind of KINDS) {
      itId(
        `run-pod-sandbox.node-${kind}-namespace`,
        `puts the containers in the node's ${kind} namespace with ${FIELD[kind]} NODE [linux]`,
        async function () {
          requireLocalRuntime(this, `to compare with the host's ${kind} namespace`);
          const id = await nodePodContainer(kind);
          expect(await namespaceOf(id, kind), `/proc/self/ns/${kind} in the container vs the host's`).to.equal(
            hostNamespace(kind),
          );
        },
      );

      // api.proto NamespaceMode POD: "A POD namespace is common to all containers in a pod."
      it(`keeps the containers out of the node's ${kind} namespace without NODE [linux]`, async function () {
        requireLocalRuntime(this, `to compare with the host's ${kind} namespace`);
        const id = await ownPodContainer();
        expect(await namespaceOf(id, kind), `/proc/self/ns/${kind} in the container vs the host's`).to.not.equal(
          hostNamespace(kind),
        );
      });
    }

    // api.proto NamespaceMode NODE: "the namespace of the Kubernetes node" is one namespace for
    // every NODE pod, and not the namespace of a pod without NODE. Needs no access to the host.
    for (const kind of KINDS) {
      it(`gives two ${FIELD[kind]} NODE pods one ${kind} namespace, apart from a pod's own [linux]`, async function () {
        const [a, b, c] = await together([
          nodePodContainer(kind),
          (async () => {
            const second = await runPodUnderTest(
              scope,
              `node-b-${kind}`,
              withPodSecurityContext({ namespace_options: nodeOptions(kind) }),
            );
            return (await scope.runContainer(second, containerConfig(`ns-${kind}-b`, withPodNamespaces(second)))).id;
          })(),
          (async () => (await ownContainer.get()).id)(),
        ]);
        const nodeNs = await namespaceOf(a, kind);
        expect(await namespaceOf(b, kind), `${kind} namespace of a second NODE pod vs the first`).to.equal(nodeNs);
        expect(await namespaceOf(c, kind), `${kind} namespace of a pod without NODE vs a NODE pod`).to.not.equal(
          nodeNs,
        );
      });
    }

    // api.proto NamespaceMode POD: "A POD namespace is common to all containers in a pod."
    it('shares one network and IPC namespace among the containers of a pod [linux]', async function () {
      const a = await ownPodContainer();
      const pod = await ownPod.get();
      const b = await scope.runContainer(pod, containerConfig('shared-b', withPodNamespaces(pod)));
      const [first, second] = await together([namespacesOf(a), namespacesOf(b.id)]);
      expect(second.net, 'net namespace of the second container vs the first').to.equal(first.net);
      expect(second.ipc, 'ipc namespace of the second container vs the first').to.equal(first.ipc);
    });
  });

  rpc('CreateContainer', { feature: 'config.linux.security_context.namespace_options' }, function () {
    // api.proto NamespaceMode POD: "a container with a PID namespace of POD expects to view all of
    // the processes in all of the containers in the pod."
    it('shows the processes of every container of the pod with pid POD [linux]', async function () {
      const pod = await scope.runPod(
        'pid-pod',
        withPodSecurityContext({ namespace_options: { network: 'POD', pid: 'POD', ipc: 'POD' } }),
      );
      await scope.runContainer(pod, containerConfig('pid-pod-marker', withPodNamespaces(pod), withCommand(...MARKER)));
      const id = await createUnderTest(scope, pod, containerConfig('pid-pod-viewer', withPodNamespaces(pod)));
      expect(
        processes(await outputOf(id, 'ps -o args')),
        'ps in a pid POD container, looking for the other container',
      ).to.include(MARKER.join(' '));
    });

    // api.proto NamespaceMode CONTAINER: "a container with a PID namespace of CONTAINER expects to
    // view only the processes in that container."
    it('hides the other containers of the pod with pid CONTAINER [linux]', async function () {
      await ownContainer.get(); // pid CONTAINER, running MARKER
      const id = await createUnderTest(
        scope,
        await own.get(),
        containerConfig('pid-ctr-viewer', withNamespaces({ pid: 'CONTAINER' })),
      );
      const seen = await outputsOf(id, { ps: 'ps -o args', init: "tr '\\0' ' ' < /proc/1/cmdline" });
      expect(processes(seen.ps), 'ps in a pid CONTAINER container').to.not.include(MARKER.join(' '));
      expect(seen.init, 'PID 1 of a pid CONTAINER container is its own command').to.include(DEFAULT_SCRIPT);
    });

    // api.proto NamespaceMode TARGET: "a container with a PID namespace of TARGET expects to view
    // all of the processes that container target_id can view."
    itId(
      'create-container.joins-pid-namespace-target-id',
      'joins the PID namespace of target_id with pid TARGET [linux]',
      async function () {
        const target = await ownContainer.get(); // pid CONTAINER, running MARKER
        const id = await createUnderTest(
          scope,
          await own.get(),
          containerConfig('pid-targeting', withNamespaces({ pid: 'TARGET', target_id: target.id })),
        );
        const seen = await outputsOf(id, { ns: 'readlink /proc/self/ns/pid', ps: 'ps -o args' });
        expect(seen.ns.trim(), 'pid namespace of the TARGET container vs its target').to.equal(
          await namespaceOf(target.id, 'pid'),
        );
        expect(processes(seen.ps), 'ps in the TARGET container, looking for the target process').to.include(
          MARKER.join(' '),
        );
      },
    );
  });
});
