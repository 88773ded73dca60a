import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJunit } from './junit.js';
import type { RunResults } from './results.js';

// The schema sits beside the TypeScript source, not in dist/.
const SCHEMA = fileURLToPath(new URL('../../../src/reporters/junit-schema.xsd', import.meta.url));

function validate(file: string): string {
  try {
    return execFileSync('xmllint', ['--noout', '--schema', SCHEMA, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        'xmllint is needed to validate junit.xml (Debian package libxml2-utils; scripts/test.sh installs it)',
      );
    throw new Error(`junit.xml does not validate against the JUnit schema:\n${e.stderr}`);
  }
}

describe('junit.xml against the JUnit schema CI systems read', function () {
  const dir = mkdtempSync(join(tmpdir(), 'crit-junit-xsd-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const base: Omit<RunResults, 'tests'> = {
    runId: 'r',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    interrupted: false,
    properties: { 'runtime.name': 'containerd', 'run.id': 'r' },
  };

  it('validates a run with every outcome, a known failure and awkward characters', function () {
    const file = join(dir, 'all.xml');
    writeJunit(
      {
        ...base,
        tests: [
          {
            file: 'specs/a.spec.ts',
            titlePath: ['A', 'Rpc', 'passes'],
            fullTitle: 'A Rpc passes',
            outcome: 'passed',
            durationMs: 12,
          },
          {
            file: 'specs/a.spec.ts',
            titlePath: ['A', 'Rpc', 'fails <&> "q"'],
            fullTitle: 'f',
            outcome: 'failed',
            durationMs: 3,
            message: 'expected OK\ngot ]]> NOT_FOUND',
            details: 'stack ]]> here',
            rpc: 'Rpc',
            id: 'rpc.fails',
          },
          {
            file: 'specs/a.spec.ts',
            titlePath: ['A', 'Rpc', 'errors'],
            fullTitle: 'e',
            outcome: 'error',
            durationMs: 0,
            message: 'precondition failed',
            details: 'stack',
          },
          {
            file: 'specs/b.spec.ts',
            titlePath: ['B', 'skips'],
            fullTitle: 's',
            outcome: 'skipped',
            durationMs: 0,
            message: 'unsupported: X returned UNIMPLEMENTED',
          },
          {
            file: 'specs/b.spec.ts',
            titlePath: ['B', 'known'],
            fullTitle: 'k',
            outcome: 'failed',
            durationMs: 0,
            message: 'boom',
            knownFailure: 'containerd 1.6 bug',
          },
        ],
      },
      file,
    );
    validate(file);
  });

  it('validates the report of a run that never reached a test', function () {
    const file = join(dir, 'empty.xml');
    writeJunit({ ...base, tests: [] }, file);
    validate(file);
  });

  it('rejects a document the schema forbids, so the check can fail', function () {
    const file = join(dir, 'bad.xml');
    writeFileSync(
      file,
      '<?xml version="1.0"?><testsuites><testsuite name="x" tests="1"><testcase name="t" classname="c"><failure/><error/></testcase></testsuite></testsuites>',
    );
    expect(() => validate(file)).to.throw(/does not validate/);
  });
});
