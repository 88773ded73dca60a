// Mutants of image volumes, host devices and CDI devices: each drops or widens one field of
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
];
