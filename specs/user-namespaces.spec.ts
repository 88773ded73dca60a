// User namespaces (NamespaceOption.userns_options, api.proto UserNamespace): a pod in a user
// namespace of its own with the uid and gid mappings of the request (mode POD), or in the node's
// (mode NODE), observed in /proc/self/{uid,gid}_map of its container and, on the runtime's host,
// in the ids the host sees the container's process run with; and a host directory mounted with
// the pod's mappings (Mount.uidMappings/gidMappings, an idmapped mount) as kubelet sends it.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { UserNamespace } from '../src/generated/runtime/v1/UserNamespace.js';
import {
  containerConfig,
  createUnderTest,
  endpointIsLocal,
  hostIdsOfMarked,
  hostNamespace,
  hostTempDir,
  itId,
  outputsOf,
  requireLocalRuntime,
  requireHandlerFeature,
  rpc,
  runPodUnderTest,
  uniqueName,
  useScope,
  withHostMarker,
  withMounts,
  withPodNamespaces,
  withPodSecurityContext,
} from '../src/framework/index.js';

/** The pod's own network, PID and IPC namespaces: the suite's default pod. */
const OWN = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } as const;
/** Host ids above every id of the host's own users, 65536 of them, as kubelet allocates per pod. */
const HOST_UID = 1_000_000 + 65536 * 3;
const HOST_GID = HOST_UID + 65536;
const LENGTH = 65536;
const POD_USERNS: UserNamespace = {
  mode: 'POD',
  uids: [{ container_id: 0, host_id: HOST_UID, length: LENGTH }],
  gids: [{ container_id: 0, host_id: HOST_GID, length: LENGTH }],
};

/** The lines of a /proc/<pid>/{uid,gid}_map, each as "inside outside length". */
const mapLines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).join(' '))
    .filter((line) => line !== '');

describe('User namespaces', function () {
  const scope = useScope();

  rpc('RunPodSandbox', { feature: 'config.linux.security_context.namespace_options.userns_options' }, function () {
    // api.proto UserNamespace: "Uids specifies the UID mappings for the user namespace", "Gids
    // specifies the GID mappings"; IDMapping: "HostId is the id on the host. ContainerId is the id
    // in the container. Length is the size of the range to map."
    itId(
      'run-pod-sandbox.userns-pod-maps-ids',
      'maps the container ids to the requested host ids with userns_options mode POD [optional] [linux]',
      async function () {
        await requireHandlerFeature(this, 'user_namespaces');
        const namespaces = { ...OWN, userns_options: POD_USERNS };
        const pod = await runPodUnderTest(
          scope,
          'userns-pod',
          withPodSecurityContext({ namespace_options: namespaces }),
        );
        const marker = uniqueName('userns');
        const { id } = await scope.runContainer(
          pod,
          containerConfig('userns-pod', withPodNamespaces(pod), withHostMarker(marker)),
        );
        const seen = await outputsOf(id, {
          ns: 'readlink /proc/self/ns/user',
          uid: 'cat /proc/self/uid_map',
          gid: 'cat /proc/self/gid_map',
        });
        const what = `in a container of pod ${pod.id.slice(0, 12)} with userns_options ${JSON.stringify(POD_USERNS)}`;
        expect(mapLines(seen.uid), `/proc/self/uid_map ${what}`).to.deep.equal([`0 ${HOST_UID} ${LENGTH}`]);
        expect(mapLines(seen.gid), `/proc/self/gid_map ${what}`).to.deep.equal([`0 ${HOST_GID} ${LENGTH}`]);
        if (!endpointIsLocal()) return;
        expect(seen.ns.trim(), `/proc/self/ns/user ${what}, vs the host's`).to.not.equal(hostNamespace('user'));
        // The container's root (container id 0) is host id HOST_UID / HOST_GID on the node.
        const host = await hostIdsOfMarked(marker);
        expect(host, `a host process with "${marker}" in its command line (the container's)`).to.not.equal(undefined);
        expect(host, `ids the host sees the container's root process run with, ${what}`).to.deep.equal({
          uid: String(HOST_UID),
          gid: String(HOST_GID),
        });
      },
    );

    // api.proto NamespaceMode NODE: "A NODE namespace is the namespace of the Kubernetes node."
    itId(
      'run-pod-sandbox.userns-node-keeps-node-ids',
      'keeps the containers in the node user namespace with userns_options mode NODE [linux]',
      async function () {
        requireLocalRuntime(this, "to compare with the host's user namespace");
        const namespaces = { ...OWN, userns_options: { mode: 'NODE' } as UserNamespace };
        const pod = await runPodUnderTest(
          scope,
          'userns-node',
          withPodSecurityContext({ namespace_options: namespaces }),
        );
        const { id } = await scope.runContainer(pod, containerConfig('userns-node', withPodNamespaces(pod)));
        const seen = await outputsOf(id, {
          ns: 'readlink /proc/self/ns/user',
          uid: 'cat /proc/self/uid_map',
          gid: 'cat /proc/self/gid_map',
        });
        const what = `in a container of pod ${pod.id.slice(0, 12)} with userns_options mode NODE, vs the host's`;
        expect(seen.ns.trim(), `/proc/self/ns/user ${what}`).to.equal(hostNamespace('user'));
        expect(mapLines(seen.uid), `/proc/self/uid_map ${what}`).to.deep.equal(
          mapLines(readFileSync('/proc/self/uid_map', 'utf8')),
        );
        expect(mapLines(seen.gid), `/proc/self/gid_map ${what}`).to.deep.equal(
          mapLines(readFileSync('/proc/self/gid_map', 'utf8')),
        );
      },
    );
  });

  rpc('CreateContainer', { feature: 'config.mounts' }, function () {
    // api.proto Mount.uidMappings: "UidMappings specifies the runtime UID mappings for the mount.";
    // gidMappings: "GidMappings specifies the runtime GID mappings for the mount." With the pod's
    // own mappings (what kubelet sends for a volume of a pod in a user namespace), the mount maps
    // the ids on disk as the pod's user namespace does: a file of host root (0:0) belongs to the
    // container's root. Without them it would show as the overflow id (65534), as any host id
    // outside the pod's range does.
    itId(
      'create-container.userns-idmapped-mount',
      "shows a host root file of a mount with the pod's uidMappings/gidMappings as the container root's [optional] [linux]",
      async function () {
        await requireHandlerFeature(this, 'user_namespaces');
        requireLocalRuntime(this, 'a host directory to mount');
        const pod = await scope.runPod(
          'userns-idmap',
          withPodSecurityContext({ namespace_options: { ...OWN, userns_options: POD_USERNS } }),
        );
        const dir = hostTempDir(scope, 'userns-idmap');
        chmodSync(dir, 0o755);
        writeFileSync(join(dir, 'of-host-root'), 'written by the suite as root\n');
        const mount = {
          container_path: '/mnt/idmap',
          host_path: dir,
          readonly: true,
          uidMappings: POD_USERNS.uids,
          gidMappings: POD_USERNS.gids,
        };
        const id = await createUnderTest(
          scope,
          pod,
          containerConfig('userns-idmap', withPodNamespaces(pod), withMounts(mount)),
        );
        const seen = await outputsOf(id, { owner: "stat -c '%u %g' /mnt/idmap/of-host-root" });
        expect(
          seen.owner.trim(),
          `owner (uid gid) in the container of a host file of 0:0, mounted with ${JSON.stringify({ uidMappings: mount.uidMappings, gidMappings: mount.gidMappings })}`,
        ).to.equal('0 0');
      },
      { feature: 'config.mounts.uidMappings' },
    );
  });
});
