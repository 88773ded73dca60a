// Mutants of image volumes, host devices, CDI devices and user namespaces: each drops or widens one field of
// CreateContainer's config before the runtime sees it, as a runtime that ignores the field would.
import { onRequest, type Mutant } from './mutant.js';
import type { Msg } from './behaviour.js';

export const DEVICE_VOLUME_MUTANTS: Mutant[] = [
  {
    // A runtime that predates Mount.image sees a mount with no host path; this one mounts nothing.
    name: 'image-volume-ignored',
    groups: ['image-volumes'],
    violates: 'CreateContainer mounts the image of Mount.image at container_path',
    // Not the image_sub_path tests: they fail on the test bed's containerd 2.1.9 without a mutant
    // (it ignores image_sub_path; known-failures/containerd-2.1.yaml), so they could not show a kill.
    caughtBy: ['image-volume.mounts-image-ref-read-only', 'image-volume.mounts-image-by-digest'],
    expect: /image volume/,
    ...onRequest('CreateContainer', (req) => {
      if (req.config?.mounts) req.config.mounts = req.config.mounts.filter((m: Msg) => !m.image?.image);
    }),
  },
  {
    name: 'host-devices-dropped',
    groups: ['devices'],
    violates: 'CreateContainer makes ContainerConfig.devices nodes at their container_path',
    caughtBy: [
      'create-container.maps-host-device-permissions-r',
      'create-container.maps-host-device-permissions-rw',
      'create-container.maps-host-device-permissions-rwm',
    ],
    expect: /\/dev\/crit-dev in the container/,
    ...onRequest('CreateContainer', (req) => {
      if (req.config) req.config.devices = [];
    }),
  },
  {
    name: 'host-device-permissions-widened',
    groups: ['devices'],
    violates: 'CreateContainer limits a host device to its Device.permissions in the device cgroup',
    caughtBy: ['create-container.maps-host-device-permissions-r'],
    expect: /opens for writing with permissions "r"/,
    ...onRequest('CreateContainer', (req) => {
      for (const d of req.config?.devices ?? []) d.permissions = 'rwm';
    }),
  },
  {
    name: 'cdi-devices-dropped',
    groups: ['devices'],
    violates: 'CreateContainer applies the containerEdits of each ContainerConfig.CDI_devices device',
    caughtBy: ['create-container.applies-cdi-device-edits'],
    expect: /CRIT_CDI/,
    ...onRequest('CreateContainer', (req) => {
      if (req.config) req.config.CDI_devices = [];
    }),
  },
  {
    // A runtime without user namespace support that drops userns_options instead of refusing it:
    // the pod runs in the node's user namespace. The test bed's default runc 1.1 does not report
    // user_namespaces (the tests skip there), so the mutant's run uses runc 1.3, which does.
    name: 'userns-options-dropped',
    groups: ['user-namespaces'],
    violates: 'RunPodSandbox puts the pod in a user namespace with the uid and gid mappings of userns_options',
    caughtBy: ['run-pod-sandbox.userns-pod-maps-ids'],
    expect: /uid_map|gid_map|ns\/user/,
    flags: ['--runtime-handler', 'runc-1.3'],
    unary: {
      RunPodSandbox: async (req, forward) => {
        delete req.config?.linux?.security_context?.namespace_options?.userns_options;
        return forward(req);
      },
      CreateContainer: async (req, forward) => {
        delete req.config?.linux?.security_context?.namespace_options?.userns_options;
        delete req.sandbox_config?.linux?.security_context?.namespace_options?.userns_options;
        return forward(req);
      },
    },
  },
  {
    // A runtime that mounts a volume of a pod in a user namespace without the idmapping the
    // request asks for: host root's files show as the overflow id in the container.
    name: 'mount-idmappings-dropped',
    groups: ['user-namespaces'],
    violates: 'CreateContainer mounts a host path with the uidMappings and gidMappings of its Mount',
    caughtBy: ['create-container.userns-idmapped-mount'],
    expect: /owner \(uid gid\)|65534/,
    flags: ['--runtime-handler', 'runc-1.3'],
    unary: {
      CreateContainer: async (req, forward) => {
        for (const mount of req.config?.mounts ?? []) {
          delete mount.uidMappings;
          delete mount.gidMappings;
        }
        return forward(req);
      },
    },
  },
];
