import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeJunit } from './junit.js';
import type { RunResults } from './results.js';

describe('writeJunit', function () {
  const dir = mkdtempSync(join(tmpdir(), 'crit-junit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a suite per spec file with failures, errors and skips kept apart', function () {
    const results: RunResults = {
      runId: 'r1',
      startedAt: new Date('2026-01-01T00:00:00Z'),
      interrupted: false,
      properties: { 'runtime.name': 'containerd' },
      tests: [
        {
          file: 'specs/a.spec.ts',
          titlePath: ['PodSandbox', 'RunPodSandbox', 'runs'],
          fullTitle: 'PodSandbox RunPodSandbox runs',
          outcome: 'passed',
          durationMs: 1500,
        },
        {
          file: 'specs/a.spec.ts',
          titlePath: ['PodSandbox', 'StopPodSandbox', 'stops <x> & "y"'],
          fullTitle: 'x',
          outcome: 'failed',
          durationMs: 10,
          message: 'expected OK, got NOT_FOUND (5)',
        },
        {
          file: 'specs/b.spec.ts',
          titlePath: ['Image', 'PullImage', 'pulls'],
          fullTitle: 'y',
          outcome: 'error',
          durationMs: 0,
          message: 'precondition RunPodSandbox failed',
        },
        {
          file: 'specs/b.spec.ts',
          titlePath: ['Image', 'StreamImages', 'streams'],
          fullTitle: 'z',
          outcome: 'skipped',
          durationMs: 0,
          message: 'unsupported: StreamImages returned UNIMPLEMENTED',
        },
      ],
    };
    const file = join(dir, 'junit.xml');
    writeJunit(results, file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).to.match(/<testsuites tests="4" failures="1" errors="1" skipped="1"/);
    expect(xml).to.include('<testsuite name="specs/a.spec.ts"');
    expect(xml).to.include('<testcase classname="PodSandbox.RunPodSandbox" name="runs" time="1.5"/>');
    expect(xml).to.include('name="stops &lt;x> &amp; &quot;y&quot;"');
    expect(xml).to.include('<failure message="expected OK, got NOT_FOUND (5)"');
    expect(xml).to.include('<error message="precondition RunPodSandbox failed"');
    expect(xml).to.include('<skipped message="unsupported: StreamImages returned UNIMPLEMENTED"/>');
    expect(xml).to.include('<property name="runtime.name" value="containerd"/>');
  });

  it('gives a testcase its stable id and its RPC under test as properties', function () {
    const file = join(dir, 'ids.xml');
    writeJunit(
      {
        runId: 'r2',
        startedAt: new Date('2026-01-01T00:00:00Z'),
        interrupted: false,
        properties: {},
        tests: [
          {
            file: 'specs/c.spec.ts',
            titlePath: ['Container', 'StopContainer', 'stops'],
            fullTitle: 'Container StopContainer stops',
            outcome: 'failed',
            durationMs: 5,
            message: 'expected CONTAINER_EXITED',
            rpc: 'StopContainer',
            id: 'stop-container.sigterm',
            feature: 'timeout',
          },
        ],
      },
      file,
    );
    const xml = readFileSync(file, 'utf8');
    expect(xml).to.match(
      /<testcase classname="Container.StopContainer" name="stops" time="0.005">\s*<properties>\s*<property name="id" value="stop-container.sigterm"\/>\s*<property name="rpc" value="StopContainer"\/>\s*<property name="feature" value="timeout"\/>\s*<\/properties>\s*<failure message="expected CONTAINER_EXITED"/,
    );
  });
});
