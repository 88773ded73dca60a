// CDI specs on the runtime's host (https://github.com/cncf-tags/container-device-interface, SPEC.md):
// a test writes a spec file of its own kind into a directory the runtime reads CDI specs from,
// requests its device by name, and removes the file after the test.
//
// StatusResponse has no CDI feature, so the spec directory and whether CDI is on come from what
// the runtime says of its configuration where it says it: containerd's verbose Status info
// "config" carries `enableCDI` and `cdiSpecDirs`. A runtime that reports CDI off is unsupported;
// one that reports nothing gets the CDI spec's default directory for generated specs.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cri } from '../run/cri.js';
import { uniqueName } from '../run/names.js';
import { skipWithReason } from '../verdicts/optional.js';
import type { Scope } from '../fixtures/scope.js';

/** The kind (`vendor/class`) of every CDI device the suite defines. */
export const CDI_KIND = 'cri-conformance.test/device';
/** The CDI spec's directory for dynamically generated specs, read by default (with /etc/cdi). */
export const DEFAULT_CDI_DYNAMIC_DIR = '/var/run/cdi';

/** A device's edits, as SPEC.md's `containerEdits` (the fields the tests use). */
export interface CdiEdits {
  env?: string[];
  deviceNodes?: { path: string; hostPath?: string; permissions?: string }[];
  mounts?: { hostPath: string; containerPath: string; type?: string; options?: string[] }[];
}

interface ReportedCdi {
  enableCDI?: unknown;
  cdiSpecDirs?: unknown;
}

/** What the runtime's verbose Status info says of CDI (containerd's "config" entry), if anything. */
async function reportedCdi(): Promise<ReportedCdi> {
  const { info } = await cri().runtime.Status({ verbose: true }, { role: 'setup' });
  try {
    return (JSON.parse(info.config ?? '{}') ?? {}) as ReportedCdi;
  } catch {
    return {}; // a runtime whose info.config is not JSON says nothing of CDI
  }
}

/**
 * The directory to write a CDI spec into: the last of the runtime's reported `cdiSpecDirs` (CDI
 * gives later directories priority), else the CDI default for generated specs. Skips the test as
 * unsupported when the runtime reports CDI disabled.
 */
export async function cdiSpecDir(test: Mocha.Context): Promise<string> {
  const reported = await reportedCdi();
  if (reported.enableCDI === false)
    skipWithReason(test, 'unsupported: the runtime reports CDI disabled (StatusResponse.info config.enableCDI false)');
  const dirs = Array.isArray(reported.cdiSpecDirs)
    ? reported.cdiSpecDirs.filter((d): d is string => typeof d === 'string')
    : [];
  return dirs.at(-1) ?? DEFAULT_CDI_DYNAMIC_DIR;
}

/**
 * Writes a CDI spec of kind CDI_KIND with one device of `edits` into `dir`, removed after the test;
 * returns the device's fully qualified name (`cri-conformance.test/device=<name>`).
 */
export function writeCdiSpec(scope: Scope, dir: string, edits: CdiEdits): string {
  const name = uniqueName('cdi');
  const spec = { cdiVersion: '0.6.0', kind: CDI_KIND, devices: [{ name, containerEdits: edits }] };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  scope.defer(`CDI spec ${file}`, async () => rmSync(file, { force: true }));
  return `${CDI_KIND}=${name}`;
}
