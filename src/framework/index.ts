// What spec files import: one line, everything a spec needs.
export { ctx, RUN_LABEL, type RunContext } from './context.js';
export { cri } from './cri.js';
export { useScope, setup, type Scope, type Pod, type Container } from './scope.js';
export * from './pods.js';
export * from './containers.js';
export { eventually, consistently } from './wait.js';
export { expectOk, expectCode, expectError, findOne } from './expect-rpc.js';
export { requireFeature, skipWithReason, unsupportedReason } from './optional.js';
export { rpc } from './rpc.js';
export { uniqueName, unknownId, runLabels } from './names.js';
export { ensureImage } from './image-cache.js';
export { CriCallError, isCode } from '../client/errors.js';
export { execIn, shellIn, shellParts, type ExecResult, type PartResult, type PartsResult } from './exec.js';
export { containerStatus, podStatus, waitForContainerState, waitForPodState } from './state.js';
export { WaitTimeoutError } from './wait.js';
export { overEachProtocol, openStream, openForward, requireStdinClose, endInput, streamingTimeoutMs, HTTP_GET, wholeHttpResponse, StreamingError, describeStatus } from './streaming.js';
export type { StreamingProtocol, RemoteCommandSession, RemoteCommandResult, PortForwardSession, ForwardResult } from './streaming.js';
export { CAPABILITY_NAMES, allCapabilities, capabilityNames, containerProcStatus, containerMounts, mountAt, parseMounts, procStatusFrom, PROC_STATUS, MOUNTS, type ProcStatus, type MountEntry } from './linux-proc.js';
export { requireHostLsm, hostNamespace, hostBoundingCapabilities, grantableCapabilities, grantableAndProcStatus, hostDevices } from './host.js';
export { withPodSecurityContext, withNamespaces, withPodNamespaces } from './security.js';
export { createRequest, createUnderTest, runUnderTest, runUnderTestIn, runPodUnderTest, startContainer } from './under-test.js';
export { httpGet, httpGetFromContainer, udpSend, udpExchange, pickHostPort, type HttpAnswer } from './net-probe.js';
export { outputOf, outputsOf } from './observe.js';
export { runWebContainer } from './web-pod.js';
export { requireRpc, firstItem, expectRefusal, type ProbedRpc } from './probes.js';
export { requireReported } from './optional.js';
export { concatStreamed, byId } from './list-stream.js';
export { endpointIsLocal, requireLocalRuntime, hostTempDir } from './host-paths.js';
export { useSharedScope } from './shared-scope.js';
export {
  useSharedPod, useWorkerPod, useSharedContainer, useSharedUnderTest, sharedFixture, madeTogether, type PodHandle, type SharedPod, type SharedContainer,
} from './shared-pod.js';
export { parseCriLog, readCriLog, streamLines, RFC3339_NANO, type CriLogEntry } from './cri-log.js';
export { nowNanos, nanos, secondsAgo } from './timestamps.js';
export { signalReady, waitForReady } from './readiness.js';
export { readCgroupLimits, weightsForShares, type CgroupLimits } from './cgroups.js';
export { hostBindMount, hostTmpfsMount, hostMountUnavailable, HostMountError } from './host-mounts.js';
export { together } from './together.js';
