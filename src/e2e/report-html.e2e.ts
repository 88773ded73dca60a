// report.html as a person sees it: a real run's page rendered by headless Chromium (Debian's
// chromium) to PDF, its text extracted with pdftotext, and the run's numbers found in it.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ResultsFile } from '../reporters/results-json.js';
import type { Coverage } from '../reporters/coverage.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? '';

describe('report.html rendered in headless Chromium', function () {
  this.timeout(5 * 60_000);
  const scratch = mkdtempSync(join(tmpdir(), 'crit-html-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('shows the run summary, the coverage and every failure of a real run', async function () {
    const dir = mkdtempSync(join(scratch, 'run-'));
    // A run with one deliberate failure (unknown runtime handler) and passing runtime-info tests.
    await run(process.execPath, [
      CLI,
      '--runtime-endpoint',
      endpoint,
      '--report-dir',
      dir,
      '--focus',
      'Runtime info',
      '--focus',
      'RunPodSandbox runs a ready',
      '--runtime-handler',
      'no-such-handler',
    ]).catch((err: { code?: number }) => {
      if (err.code !== 1) throw err;
    });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
    const coverage = JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8')) as Coverage;
    expect(results.counts.failed + results.counts.error, 'the deliberate failure').to.be.greaterThan(0);

    const pdf = join(dir, 'report.pdf');
    const profile = mkdtempSync(join(scratch, 'chromium-'));
    await run(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--no-pdf-header-footer',
        `--print-to-pdf=${pdf}`,
        `file://${join(dir, 'report.html')}`,
      ],
      { timeout: 120_000 },
    );
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    const flat = text.replace(/\s+/g, ' ');

    expect(flat, 'heading').to.include('CRI conformance report');
    expect(flat, 'runtime name').to.include(results.properties['runtime.name']);
    expect(flat, 'tests card').to.match(new RegExp(`\\b${results.tests.length} tests\\b`));
    expect(flat, 'passed card').to.match(new RegExp(`\\b${results.counts.passed} passed\\b`));
    expect(flat, 'RPC coverage card').to.include(`${coverage.rpcsExercised}/${coverage.rpcsTotal} RPCs exercised`);
    const failed = results.tests.find((t) => t.outcome === 'failed' || t.outcome === 'error')!;
    expect(flat, 'the failing test title').to.include(failed.fullTitle.split(' ').slice(-4).join(' '));
    expect(flat, 'the RPC table').to.include('RunPodSandbox');
  });
});
