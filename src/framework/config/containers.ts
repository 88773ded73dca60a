// ContainerConfig builders: a spec states only what differs from the default container.
import type { ContainerConfig } from '../../generated/runtime/v1/ContainerConfig.js';
import type { Mount } from '../../generated/runtime/v1/Mount.js';
import type { Device } from '../../generated/runtime/v1/Device.js';
import type { LinuxContainerSecurityContext } from '../../generated/runtime/v1/LinuxContainerSecurityContext.js';
import type { LinuxContainerResources } from '../../generated/runtime/v1/LinuxContainerResources.js';
import { ctx } from '../run/context.js';
import { runLabels, uniqueName } from '../run/names.js';

export type ContainerOpt = (config: ContainerConfig) => void;

/**
 * The default container's script: runs until stopped and exits 0 on SIGTERM at once (it waits in
 * `wait`, which a trapped signal interrupts; a foreground `sleep` would hold the trap until the
 * sleep ends). The sleep is long: a shell that started a process every second would cost the
 * runtime's host a process start per second per container, for nothing.
 */
export const DEFAULT_SCRIPT = 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done';

/** A busybox container that runs until stopped, unless an option says otherwise. */
export function containerConfig(slug: string, ...opts: ContainerOpt[]): ContainerConfig {
  const config: ContainerConfig = {
    metadata: { name: uniqueName(slug), attempt: 0 },
    image: { image: ctx().images.busybox },
    command: ['sh', '-c', DEFAULT_SCRIPT],
    labels: runLabels(),
    annotations: {},
    linux: { resources: {}, security_context: {} },
  };
  for (const opt of opts) opt(config);
  return config;
}

export const withImage =
  (image: string): ContainerOpt =>
  (c) => {
    c.image = { image };
  };
export const withCommand =
  (...command: string[]): ContainerOpt =>
  (c) => {
    c.command = command;
  };
/** `sh -c <script>` */
export const withShell =
  (script: string): ContainerOpt =>
  (c) => {
    c.command = ['sh', '-c', script];
  };
export const withArgs =
  (...args: string[]): ContainerOpt =>
  (c) => {
    c.args = args;
  };
/** Keep the image's own entrypoint and command. */
export const withImageDefaults = (): ContainerOpt => (c) => {
  c.command = [];
  c.args = [];
};
// KeyValue.value is `bytes` in api.proto: protobufjs would read a plain string as base64.
export const withEnv =
  (env: Record<string, string>): ContainerOpt =>
  (c) => {
    c.envs = [
      ...(c.envs ?? []),
      ...Object.entries(env).map(([key, value]) => ({ key, value: Buffer.from(value, 'utf8') })),
    ];
  };
export const withWorkingDir =
  (dir: string): ContainerOpt =>
  (c) => {
    c.working_dir = dir;
  };
export const withContainerLabels =
  (labels: Record<string, string>): ContainerOpt =>
  (c) => {
    c.labels = { ...c.labels, ...labels };
  };
export const withContainerAnnotations =
  (annotations: Record<string, string>): ContainerOpt =>
  (c) => {
    c.annotations = { ...c.annotations, ...annotations };
  };
export const withMounts =
  (...mounts: Mount[]): ContainerOpt =>
  (c) => {
    c.mounts = [...(c.mounts ?? []), ...mounts];
  };
export const withLogPath =
  (path: string): ContainerOpt =>
  (c) => {
    c.log_path = path;
  };
export const withAttempt =
  (attempt: number): ContainerOpt =>
  (c) => {
    c.metadata = { ...c.metadata, attempt };
  };
export const withStdin =
  (stdinOnce: boolean, tty = false): ContainerOpt =>
  (c) => {
    c.stdin = true;
    c.stdin_once = stdinOnce;
    c.tty = tty;
  };
export const withSecurityContext =
  (sc: LinuxContainerSecurityContext): ContainerOpt =>
  (c) => {
    c.linux = { ...c.linux, security_context: { ...c.linux?.security_context, ...sc } };
  };
export const withResources =
  (resources: LinuxContainerResources): ContainerOpt =>
  (c) => {
    c.linux = { ...c.linux, resources: { ...c.linux?.resources, ...resources } };
  };
/**
 * The default container script with `marker` (a word, e.g. from `uniqueName`) in its command line,
 * so that the suite can find the container's process on the runtime's host (`hostCgroupsOfMarked`).
 */
export const withHostMarker = (marker: string): ContainerOpt => withShell(`: ${marker}; ${DEFAULT_SCRIPT}`);
/**
 * An image volume (api.proto Mount.image): `image` (an image id or digest reference, as kubelet
 * passes PullImageResponse.image_ref) mounted at `containerPath`, or only its `subPath`. host_path
 * stays empty: the proto makes the two "mutually exclusive". readonly is set as kubelet sets it:
 * "All image mounts are per feature definition readonly" (containerd 2.1 refuses an image mount
 * without it: "readonly must be true while mount image").
 */
export const withImageVolume = (containerPath: string, image: string, subPath = ''): ContainerOpt =>
  withMounts({ container_path: containerPath, readonly: true, image: { image }, image_sub_path: subPath });
/** Host devices (api.proto ContainerConfig.devices). */
export const withDevices =
  (...devices: Device[]): ContainerOpt =>
  (c) => {
    c.devices = [...(c.devices ?? []), ...devices];
  };
/** CDI devices by fully qualified name, `vendor.com/class=name` (api.proto ContainerConfig.CDI_devices). */
export const withCdiDevices =
  (...names: string[]): ContainerOpt =>
  (c) => {
    c.CDI_devices = [...(c.CDI_devices ?? []), ...names.map((name) => ({ name }))];
  };
