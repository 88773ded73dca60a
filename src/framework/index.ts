// What spec files import, and nothing else: specs/*.spec.ts import only from this file (and the
// generated CRI types). dependency-cruiser (.dependency-cruiser.cjs) holds them to it. The CLI,
// the benchmark and the self-test reach the run's own modules (run/context, run/sweep, ...)
// directly; they are not spec API. The rooms are described at the top of each folder's main file.

// run/: the run's settings, its CRI connection, names and labels, shared images
export { ctx } from './run/context.js';
export { cri } from './run/cri.js';
export { uniqueName, unknownId } from './run/names.js';
export { backgroundSettled } from './run/background.js';
export { ensureImage } from './run/image-cache.js';

// config/: PodSandboxConfig and ContainerConfig builders
export {
  podConfig,
  withLabels,
  withAnnotations,
  withHostname,
  withLogDirectory,
  withDnsConfig,
  withPortMappings,
  withHostNetwork,
  withSysctls,
  withPodResources,
  type PodOpt,
} from './config/pods.js';
export {
  DEFAULT_SCRIPT,
  containerConfig,
  withImage,
  withCommand,
  withShell,
  withArgs,
  withImageDefaults,
  withEnv,
  withWorkingDir,
  withContainerLabels,
  withContainerAnnotations,
  withMounts,
  withLogPath,
  withAttempt,
  withStdin,
  withSecurityContext,
  withResources,
  withHostMarker,
  withImageVolume,
  withDevices,
  withCdiDevices,
  type ContainerOpt,
} from './config/containers.js';
export { withPodSecurityContext, withNamespaces, withPodNamespaces } from './config/security.js';

// fixtures/: what a test makes, tracked and removed after it
export { useScope, setup, type Scope, type Pod, type Container } from './fixtures/scope.js';
export {
  shared,
  perTest,
  useWorkerPod,
  podOf,
  runningIn,
  podReady,
  containerRunning,
  claimWorkerPort,
  type Shared,
  type PerTest,
  type Make,
  type MakeCall,
  type WorkerPodKind,
} from './fixtures/share.js';
export {
  createRequest,
  createUnderTest,
  runUnderTest,
  runPodUnderTest,
  runUnderTestIn,
  startContainer,
} from './fixtures/under-test.js';
export { together } from './fixtures/together.js';
export {
  imageStatusOf,
  listedImages,
  sharedImage,
  pullForTest,
  rememberRunPull,
  removeOwnedImage,
  repositoryOf,
  digestRefOf,
  normalizeRef,
  type CriImage,
} from './fixtures/image-fixtures.js';
export { runWebContainer } from './fixtures/web-pod.js';

// verdicts/: assertions, waiting, state reads, optional features
export { expectOk, expectCode, expectError, findOne } from './verdicts/expect-rpc.js';
export { eventually, consistently } from './verdicts/wait.js';
export { containerStatus, podStatus, podStatsOf, waitForContainerState } from './verdicts/state.js';
export { requireHandlerFeature, requireReported, skipWithReason } from './verdicts/optional.js';
export { requireRpc, expectRefusal } from './verdicts/probes.js';
export { itId, rpc } from './verdicts/rpc.js';
export { concatStreamed, byId } from './verdicts/list-stream.js';
export { runtimeApiLevel } from './verdicts/runtime-level.js';
export { uint64, nanos, secondsAgo, sortedIds } from './verdicts/cri-values.js';
export { isRuntimeAnswer } from '../client/errors.js';

// in-container/: commands run in a container and what they read, streaming sessions
export { shellIn, shellParts, outputOf, outputsOf } from './in-container/exec.js';
export {
  containerProcStatus,
  containerMounts,
  mountAt,
  parseMounts,
  procStatusFrom,
  PROC_STATUS,
  MOUNTS,
  type ProcStatus,
} from './in-container/linux-proc.js';
export {
  readCgroupLimits,
  weightsForShares,
  readCgroupFiles,
  hugepageSizesIn,
  type CgroupLimits,
  type CgroupFile,
  type CgroupFilesRead,
} from './in-container/cgroups.js';
export { readCriLog, streamLines, RFC3339_NANO } from './in-container/cri-log.js';
export { signalReady, waitForReadyMarker } from './in-container/readiness.js';
export {
  overEachProtocol,
  openStream,
  openForward,
  requireStdinClose,
  endInput,
  streamingTimeoutMs,
  HTTP_GET,
  wholeHttpResponse,
  StreamingError,
  type StreamingProtocol,
  type RemoteCommandResult,
  type PortForwardSession,
  type ForwardResult,
} from './in-container/streaming-sessions.js';

// host/: the suite's own host, its network, and the registry
export {
  requireHostLsm,
  hostNamespace,
  grantableAndProcStatus,
  hostDevices,
  hostCharDevice,
  hostIdsOfMarked,
  requireUnfilteredHost,
  NO_MKDIR_PROFILE,
  writeNoMkdirProfile,
  probeSeccomp,
  type SeccompProbe,
} from './host/host.js';
export { cdiSpecDir, writeCdiSpec, CDI_KIND, type CdiEdits } from './host/cdi.js';
export { endpointIsLocal, requireLocalRuntime, hostTempDir } from './host/host-paths.js';
export { hostCgroupsOfMarked, resourceCgroupPath, type CgroupMembership } from './host/host-cgroups.js';
export { hostBindMount, hostTmpfsMount, hostMountUnavailable } from './host/host-mounts.js';
export { httpGet, httpGetFromContainer, udpExchange, pickHostPort, type HttpAnswer } from './host/net-probe.js';
export { pushedManifest, RegistryReadError } from './host/registry.js';
