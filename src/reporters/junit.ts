// junit.xml for CI systems: one testsuite per spec file, one testcase per test. Conformance
// failures are <failure>, harness errors <error>, unsupported features <skipped message=…>.
import { writeFileSync } from 'node:fs';
import junitModule, { type Builder } from 'junit-report-builder';
import type { RunResults, TestResult } from './results.js';

// The package is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const junit = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as Builder;

export function classNameOf(t: TestResult): string {
  const describes = t.titlePath.slice(0, -1);
  return describes.length > 0 ? describes.join('.') : t.file;
}

export function writeJunit(results: RunResults, path: string): void {
  const builder = junit.newBuilder();
  const skipReasons: string[] = [];
  const byFile = new Map<string, TestResult[]>();
  for (const t of results.tests) {
    const list = byFile.get(t.file) ?? [];
    list.push(t);
    byFile.set(t.file, list);
  }
  if (byFile.size === 0) byFile.set('cri-conformance', []);
  for (const [file, tests] of byFile) {
    const suite = builder.testSuite().name(file).timestamp(results.startedAt);
    for (const [key, value] of Object.entries(results.properties)) suite.property(key, value);
    for (const t of tests) {
      const tc = suite
        .testCase()
        .className(classNameOf(t))
        .name(t.titlePath[t.titlePath.length - 1] ?? t.fullTitle)
        .time(t.durationMs / 1000);
      if (t.id) tc.property('id', t.id);
      if (t.rpc) tc.property('rpc', t.rpc);
      if (t.feature) tc.property('feature', t.feature);
      if (t.knownFailure) {
        skipReasons.push(`known failure (${t.knownFailure}): ${t.message ?? ''}`);
        tc.skipped().standardOutput(`${SKIP_TOKEN}${skipReasons.length - 1}`);
      } else if (t.outcome === 'failed') tc.failure(t.message ?? 'failed').stacktrace(t.details ?? '');
      else if (t.outcome === 'error') tc.error(t.message ?? 'error', 'HarnessError', t.details ?? '');
      else if (t.outcome === 'skipped') {
        skipReasons.push(t.message ?? 'skipped');
        tc.skipped().standardOutput(`${SKIP_TOKEN}${skipReasons.length - 1}`);
      }
    }
  }
  // junit-report-builder writes a bare <skipped/>; CI systems show <skipped message="…"/>.
  const xml = builder
    .build()
    .replace(
      new RegExp(`<skipped/>\\s*<system-out><!\\[CDATA\\[${SKIP_TOKEN}(\\d+)\\]\\]></system-out>`, 'g'),
      (_m, i: string) => `<skipped message="${escapeAttribute(skipReasons[Number(i)])}"/>`,
    );
  writeFileSync(path, xml);
}

const SKIP_TOKEN = 'cri-conformance-skip-reason-';

export function escapeAttribute(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}
