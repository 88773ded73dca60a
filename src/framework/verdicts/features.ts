// The optional-feature table: every CRI RPC of api.proto classified as required or optional, with
// the Kubernetes feature gate under which kubelet uses it. An optional RPC that answers
// UNIMPLEMENTED makes its tests "unsupported"; a required one is a failure. `--require FEATURE`
// (an RPC, a feature gate, or a reported field below) turns optional into required for a CI gate.
import type { CriRpc } from './rpc.js';

export type FeatureLevel = 'required' | 'optional';

export interface RpcFeature {
  rpc: CriRpc;
  service: 'RuntimeService' | 'ImageService';
  level: FeatureLevel;
  /** The Kubernetes feature gate under which kubelet calls the RPC; '' when kubelet always does. */
  gate: string;
}

const required = (rpc: CriRpc, service: RpcFeature['service'] = 'RuntimeService'): RpcFeature => ({
  rpc,
  service,
  level: 'required',
  gate: '',
});
const optional = (rpc: CriRpc, gate: string, service: RpcFeature['service'] = 'RuntimeService'): RpcFeature => ({
  rpc,
  service,
  level: 'optional',
  gate,
});

export const RPC_FEATURES: readonly RpcFeature[] = Object.freeze([
  required('Version'),
  required('RunPodSandbox'),
  required('StopPodSandbox'),
  required('RemovePodSandbox'),
  required('PodSandboxStatus'),
  required('ListPodSandbox'),
  optional('StreamPodSandboxes', 'CRIListStreaming'),
  required('CreateContainer'),
  required('StartContainer'),
  required('StopContainer'),
  required('RemoveContainer'),
  required('ListContainers'),
  optional('StreamContainers', 'CRIListStreaming'),
  required('ContainerStatus'),
  required('UpdateContainerResources'),
  required('ReopenContainerLog'),
  required('ExecSync'),
  required('Exec'),
  required('Attach'),
  required('PortForward'),
  required('ContainerStats'),
  required('ListContainerStats'),
  optional('StreamContainerStats', 'CRIListStreaming'),
  optional('PodSandboxStats', 'PodAndContainerStatsFromCRI'),
  optional('ListPodSandboxStats', 'PodAndContainerStatsFromCRI'),
  optional('StreamPodSandboxStats', 'CRIListStreaming'),
  required('UpdateRuntimeConfig'),
  required('Status'),
  optional('CheckpointContainer', 'ContainerCheckpoint'),
  optional('GetContainerEvents', 'EventedPLEG'),
  optional('ListMetricDescriptors', 'PodAndContainerStatsFromCRI'),
  optional('ListPodSandboxMetrics', 'PodAndContainerStatsFromCRI'),
  optional('StreamPodSandboxMetrics', 'CRIListStreaming'),
  optional('RuntimeConfig', 'KubeletCgroupDriverFromCRI'),
  optional('UpdatePodSandboxResources', 'InPlacePodVerticalScaling'),
  required('ListImages', 'ImageService'),
  optional('StreamImages', 'CRIListStreaming', 'ImageService'),
  required('ImageStatus', 'ImageService'),
  required('PullImage', 'ImageService'),
  required('RemoveImage', 'ImageService'),
  required('ImageFsInfo', 'ImageService'),
]);

/** Optional fields of a required RPC's answer that kubelet reads under a feature gate. */
export interface FieldFeature {
  name: string;
  gate: string;
}

export const FIELD_FEATURES: readonly FieldFeature[] = Object.freeze([
  { name: 'Status.runtime_handlers', gate: 'RecursiveReadOnlyMounts' },
  { name: 'Status.features', gate: 'SupplementalGroupsPolicy' },
  { name: 'ContainerStatus.stop_signal', gate: 'ContainerStopSignals' },
  { name: 'ContainerStatus.resources', gate: 'InPlacePodVerticalScaling' },
]);

export class UnknownFeatureError extends Error {
  override name = 'UnknownFeatureError';
}

/** Every name `--require` accepts: optional RPCs, their feature gates, and reported fields. */
export function requirableFeatures(): string[] {
  const names = new Set<string>();
  for (const f of RPC_FEATURES) {
    if (f.level === 'optional') names.add(f.rpc);
    if (f.gate) names.add(f.gate);
  }
  for (const f of FIELD_FEATURES) {
    names.add(f.name);
    names.add(f.gate);
  }
  return [...names];
}

/** Checks `--require` names; throws UnknownFeatureError naming the accepted ones. */
export function validateRequired(names: readonly string[]): string[] {
  const known = new Set(requirableFeatures());
  for (const name of names) {
    if (!known.has(name)) {
      throw new UnknownFeatureError(
        `unknown feature "${name}" (an optional RPC, a feature gate or a reported field: ${[...known].sort().join(', ')})`,
      );
    }
  }
  return [...new Set(names)];
}

/**
 * Why `feature` must be implemented in this run, or undefined when it may be unsupported: the
 * table says the RPC is required, or `--require` names the feature or its gate.
 */
export function requiredBecause(feature: string, requiredByFlag: readonly string[]): string | undefined {
  const rpc = RPC_FEATURES.find((f) => f.rpc === feature);
  if (rpc?.level === 'required') return `${feature} is a required CRI RPC`;
  const gate = rpc?.gate ?? FIELD_FEATURES.find((f) => f.name === feature)?.gate;
  if (requiredByFlag.includes(feature)) return `--require ${feature}`;
  if (gate && requiredByFlag.includes(gate)) return `--require ${gate}`;
  return undefined;
}

/** The table as text, for `--list`. */
export function formatFeatureTable(): string {
  const width = Math.max(...RPC_FEATURES.map((f) => f.rpc.length));
  const lines = ['', '# CRI RPCs: required or optional, and the Kubernetes feature gate that uses them'];
  for (const f of RPC_FEATURES) lines.push(`# ${f.rpc.padEnd(width)}  ${f.level.padEnd(8)}  ${f.gate || '-'}`);
  lines.push('# reported fields (optional):');
  for (const f of FIELD_FEATURES) lines.push(`# ${f.name.padEnd(width)}  optional  ${f.gate}`);
  return lines.join('\n') + '\n';
}
