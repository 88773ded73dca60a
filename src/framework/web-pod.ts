// A pod running the catalogue's web image, which serves ctx().images.webIndex over HTTP.
import { containerConfig, withImage, withImageDefaults, type ContainerOpt } from './containers.js';
import { ctx } from './context.js';
import { podStatus } from './state.js';
import type { Pod, Scope } from './scope.js';

/** Runs the web image (its own command: HTTP on port 80) in `pod`; returns the pod IP. */
export async function runWebContainer(scope: Scope, pod: Pod, ...opts: ContainerOpt[]): Promise<string> {
  await scope.runContainer(pod, containerConfig('web', withImage(ctx().images.web), withImageDefaults(), ...opts));
  const status = await podStatus(pod.id);
  return status.network?.ip ?? '';
}
