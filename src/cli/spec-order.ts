// The order spec files are handed to parallel workers: longest first, so that no long file starts
// last and keeps one worker busy while the others idle (longest-processing-time scheduling).
// Durations come from SPEC_SECONDS, measured on the local test bed and regenerated with
// `node dist/src/tools/spec-durations.js REPORT_DIR`; they only order files, they decide nothing.
import { basename } from 'node:path';
import { SPEC_SECONDS } from './spec-seconds.js';

/**
 * `files` longest first by `seconds` (keyed by file name without directory or extension); a file
 * without a figure (a new spec) counts as the longest, since nothing says it is short. Ties keep
 * name order.
 */
export function longestFirst(
  files: readonly string[],
  seconds: Readonly<Record<string, number>> = SPEC_SECONDS,
): string[] {
  const cost = (file: string): number => seconds[specName(file)] ?? Infinity;
  return [...files].sort((a, b) => cost(b) - cost(a) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `dist/specs/pod-stats.spec.js` and `specs/pod-stats.spec.ts` → `pod-stats`. */
export function specName(file: string): string {
  return basename(file).replace(/\.spec\.[jt]s$/, '');
}
