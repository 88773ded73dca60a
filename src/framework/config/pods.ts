// config/: pure builders of the configs a spec sends, in containerd's functional-options style:
// podConfig(slug, ...opts), containerConfig(slug, ...opts) and the security-context options. They
// make no calls; the only thing they read is the run context (names, labels, the default image).
//
// PodSandboxConfig builders: a spec states only what differs from the default pod.
import type { PodSandboxConfig } from '../../generated/runtime/v1/PodSandboxConfig.js';
import type { PortMapping } from '../../generated/runtime/v1/PortMapping.js';
import type { DNSConfig } from '../../generated/runtime/v1/DNSConfig.js';
import type { LinuxContainerResources } from '../../generated/runtime/v1/LinuxContainerResources.js';
import { ctx } from '../run/context.js';
import { newUid, runLabels, uniqueName } from '../run/names.js';

export type PodOpt = (config: PodSandboxConfig) => void;

/**
 * The cgroup parent kubelet gives a BestEffort pod: `/kubepods/besteffort/pod<uid>` with the
 * cgroupfs driver, `kubepods-besteffort-pod<uid>.slice` with systemd (dashes of the uid become
 * underscores). Kubelet always sets one, and PodSandboxStats and pod-level resources are measured
 * in it. api.proto says nothing of a pod without a parent ("Parent cgroup of the PodSandbox. The
 * cgroupfs style syntax will be used, but the container runtime can convert it to systemd
 * semantics if needed."), so the suite tests pods as kubelet makes them.
 */
export function kubeletCgroupParent(uid: string): string {
  return ctx().cgroupDriver === 'SYSTEMD'
    ? `kubepods-besteffort-pod${uid.replaceAll('-', '_')}.slice`
    : `/kubepods/besteffort/pod${uid}`;
}

export function podConfig(slug: string, ...opts: PodOpt[]): PodSandboxConfig {
  const uid = newUid();
  const config: PodSandboxConfig = {
    metadata: { name: uniqueName(slug), uid, namespace: `crit-${ctx().runId}`, attempt: 0 },
    labels: runLabels(),
    annotations: {},
    linux: {
      cgroup_parent: kubeletCgroupParent(uid),
      security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } },
    },
  };
  for (const opt of opts) opt(config);
  return config;
}

export const withLabels =
  (labels: Record<string, string>): PodOpt =>
  (c) => {
    c.labels = { ...c.labels, ...labels };
  };
export const withAnnotations =
  (annotations: Record<string, string>): PodOpt =>
  (c) => {
    c.annotations = { ...c.annotations, ...annotations };
  };
export const withHostname =
  (hostname: string): PodOpt =>
  (c) => {
    c.hostname = hostname;
  };
export const withLogDirectory =
  (dir: string): PodOpt =>
  (c) => {
    c.log_directory = dir;
  };
export const withDnsConfig =
  (dns: DNSConfig): PodOpt =>
  (c) => {
    c.dns_config = dns;
  };
export const withPortMappings =
  (...mappings: PortMapping[]): PodOpt =>
  (c) => {
    c.port_mappings = [...(c.port_mappings ?? []), ...mappings];
  };
export const withHostNetwork = (): PodOpt => (c) => {
  c.linux!.security_context!.namespace_options!.network = 'NODE';
};
export const withSysctls =
  (sysctls: Record<string, string>): PodOpt =>
  (c) => {
    c.linux!.sysctls = { ...c.linux!.sysctls, ...sysctls };
  };
/** Pod-level resources as kubelet sends them: `resources` the sum of the containers', `overhead` the sandbox's own. */
export const withPodResources =
  (resources: LinuxContainerResources, overhead?: LinuxContainerResources): PodOpt =>
  (c) => {
    c.linux = { ...c.linux, resources, ...(overhead ? { overhead } : {}) };
  };
