// The runtime's own account of its version, for messages about contracts that changed between CRI
// API releases (runtime_api_version stays "v1"; runtime_version tells which release it is).
import { cri } from '../run/cri.js';

let cached: Promise<string> | undefined;

/** e.g. `containerd v1.6.20 (runtime_api_version v1)`; never throws. */
export function runtimeApiLevel(): Promise<string> {
  cached ??= cri()
    .runtime.Version({ version: 'v1' }, { role: 'setup' })
    .then(
      (v) => `${v.runtime_name} ${v.runtime_version} (runtime_api_version ${v.runtime_api_version})`,
      (err: unknown) => `a runtime whose Version failed (${err instanceof Error ? err.message : String(err)})`,
    );
  return cached;
}
