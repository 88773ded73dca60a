// Security-context builders for pods and containers, and the kubelet's habit of giving every
// container the namespace options of its pod.
import type { LinuxSandboxSecurityContext } from '../../generated/runtime/v1/LinuxSandboxSecurityContext.js';
import type { NamespaceOption } from '../../generated/runtime/v1/NamespaceOption.js';
import type { PodSandboxConfig } from '../../generated/runtime/v1/PodSandboxConfig.js';
import type { ContainerOpt } from './containers.js';
import type { PodOpt } from './pods.js';

export const withPodSecurityContext =
  (sc: LinuxSandboxSecurityContext): PodOpt =>
  (c) => {
    const linux = c.linux ?? {};
    c.linux = { ...linux, security_context: { ...linux.security_context, ...sc } };
  };

/** Sets the container's own namespace options (NamespaceMode per namespace, target_id). */
export const withNamespaces =
  (ns: NamespaceOption): ContainerOpt =>
  (c) => {
    const sc = c.linux?.security_context ?? {};
    c.linux = { ...c.linux, security_context: { ...sc, namespace_options: { ...sc.namespace_options, ...ns } } };
  };

/** The container gets the namespace options of its pod, as the kubelet sends them. */
export const withPodNamespaces = (pod: { config: PodSandboxConfig }): ContainerOpt =>
  withNamespaces({ ...pod.config.linux?.security_context?.namespace_options });
