// Two runs of the suite at once against one runtime do not disturb each other (issue #23): each
// gives every test the verdict a solo run gives it. The runs share the node: their parallel phases
// overlap and each [serial] phase runs alone (endpoint-lock.ts); each removes only its own objects
// and keeps the images another live run may still use.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ResultsFile } from '../reporters/results-json.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const KNOWN_FAILURES = fileURLToPath(new URL('../../../specs/known-failures/containerd-2.1.yaml', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';

interface Run {
  exitCode: number;
  output: string;
  /** fullTitle → outcome (a known failure reads "failed (known)"). */
  verdicts: Map<string, string>;
}

async function fullRun(dir: string): Promise<Run> {
  const { code, stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [CLI, '--runtime-endpoint', endpoint, '--report-dir', dir, '--known-failures', KNOWN_FAILURES],
    { maxBuffer: 64 * 1024 * 1024 },
  ).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
  const verdicts = new Map(
    results.tests.map((t) => [t.fullTitle, t.knownFailure ? `${t.outcome} (known)` : t.outcome] as const),
  );
  return { exitCode: code, output: stdout + stderr, verdicts };
}

/** "title: solo → concurrent" for each test whose verdict differs (or that only one run has). */
function changes(solo: Run, other: Run): string[] {
  const titles = new Set([...solo.verdicts.keys(), ...other.verdicts.keys()]);
  return [...titles]
    .filter((t) => solo.verdicts.get(t) !== other.verdicts.get(t))
    .sort()
    .map((t) => `${t}: ${solo.verdicts.get(t) ?? 'not run'} → ${other.verdicts.get(t) ?? 'not run'}`);
}

describe('two runs at once against one runtime', function () {
  const dirs: string[] = [];
  before(function () {
    if (!endpoint) this.skip();
  });
  after(function () {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const reportDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'crit-concurrent-'));
    dirs.push(d);
    return d;
  };

  it('gives each test of both runs the verdict a solo run gives it', async function () {
    const solo = await fullRun(reportDir());
    expect(solo.verdicts.size, 'tests in the solo run').to.be.greaterThan(250);
    const [first, second] = await Promise.all([fullRun(reportDir()), fullRun(reportDir())]);
    expect(changes(solo, first), 'verdicts of the first concurrent run that differ from the solo run').to.deep.equal(
      [],
    );
    expect(changes(solo, second), 'verdicts of the second concurrent run that differ from the solo run').to.deep.equal(
      [],
    );
    expect([first.exitCode, second.exitCode], 'exit codes of the concurrent runs').to.deep.equal([
      solo.exitCode,
      solo.exitCode,
    ]);
    // The runs did meet: one waited for the other's [serial] phase, or kept images for it.
    expect(first.output + second.output).to.match(/waiting for another run of the suite|kept \d+ image\(s\)/);
  });
});
