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
export { execIn, shellIn, type ExecResult } from './exec.js';
export { containerStatus, podStatus, waitForContainerState, waitForPodState } from './state.js';
export { WaitTimeoutError } from './wait.js';
export { requireRpc, firstItem, expectRefusal, type ProbedRpc } from './probes.js';
export { requireReported } from './optional.js';
export { concatStreamed, byId } from './list-stream.js';
