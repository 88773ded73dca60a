import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../common/config-file.js';
import { DEFAULT_PARAMS, OPERATIONS, parseBenchmarkArgs } from './params.js';

const noEnv = {};
const base = ['--config', '/dev/null'];

const dir = mkdtempSync(join(tmpdir(), 'crit-bench-params-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function paramsFile(text: string): string {
  const file = join(dir, `params-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
}

function usage(argv: string[]): string {
  try {
    parseBenchmarkArgs([...base, ...argv], noEnv);
  } catch (err) {
    expect(err).to.be.instanceOf(UsageError);
    const message = (err as Error).message;
    expect(message.split('\n'), 'one line').to.have.length(1);
    return message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('benchmark params', function () {
  it('defaults to every operation, 20 iterations, concurrency 1, lists of 10, 100 and 500 objects', function () {
    const o = parseBenchmarkArgs(base, noEnv);
    expect(o.params).to.deep.equal(DEFAULT_PARAMS);
    expect(o.params.operations).to.deep.equal([...OPERATIONS]);
    expect(o.reportDir).to.equal('reports/benchmark');
  });

  it('reads a params file, and flags override it', function () {
    const file = paramsFile(
      'iterations: 7\nconcurrency: 3\nlist-sizes: [100, 10]\noperations: [ExecSync, RunPodSandbox]\nop-timeout: 5s\n',
    );
    const fromFile = parseBenchmarkArgs([...base, '--params', file], noEnv).params;
    expect(fromFile).to.include({ iterations: 7, concurrency: 3, opTimeoutMs: 5000 });
    expect(fromFile.listSizes).to.deep.equal([10, 100]);
    expect(fromFile.operations, 'in catalogue order').to.deep.equal(['RunPodSandbox', 'ExecSync']);
    const overridden = parseBenchmarkArgs(
      [...base, '--params', file, '--iterations', '2', '--list-sizes', '2,5', '--operations', 'PullImage'],
      noEnv,
    ).params;
    expect(overridden).to.include({ iterations: 2, concurrency: 3 });
    expect(overridden.listSizes).to.deep.equal([2, 5]);
    expect(overridden.operations).to.deep.equal(['PullImage']);
  });

  it('takes the runtime endpoint from the flag, then the environment', function () {
    expect(
      parseBenchmarkArgs([...base, '-r', 'unix:///a.sock'], { CONTAINER_RUNTIME_ENDPOINT: '/b.sock' }).runtimeEndpoint,
    ).to.equal('unix:///a.sock');
    expect(parseBenchmarkArgs(base, { CONTAINER_RUNTIME_ENDPOINT: '/b.sock' }).runtimeEndpoint).to.equal('/b.sock');
  });

  it('accepts an empty list of sizes (no list scaling)', function () {
    expect(
      parseBenchmarkArgs([...base, '--params', paramsFile('list-sizes: []\n')], noEnv).params.listSizes,
    ).to.deep.equal([]);
  });

  it('rejects bad input with one line', function () {
    expect(usage(['--iterations', '-3'])).to.equal('--iterations must be from 1 to 100000, got -3');
    expect(usage(['--concurrency', 'two'])).to.equal('--concurrency must be a whole number, got "two"');
    expect(usage(['--list-sizes', '10,-1'])).to.equal('--list-sizes entry must be from 1 to 10000, got -1');
    expect(usage(['--operations', 'Foo'])).to.match(/^--operations: unknown operation "Foo" \(known: RunPodSandbox, /);
    expect(usage(['--op-timeout', 'soon'])).to.match(/^--op-timeout: invalid duration "soon"/);
    expect(usage(['--op-timeout', '0s'])).to.equal('--op-timeout must be greater than zero');
    expect(usage(['--bogus'])).to.equal('benchmark: unknown flag --bogus (see benchmark --help)');
    expect(usage(['extra'])).to.equal('benchmark: unexpected argument "extra" (see benchmark --help)');
    expect(usage(['-r', 'ftp://x'])).to.match(/^invalid runtime endpoint: /);
  });

  it('rejects a malformed params file, an unknown key and a bad value in it, naming the file', function () {
    const bad = paramsFile('iterations: [1\n');
    expect(usage(['--params', bad])).to.match(new RegExp(`^params file ${bad} is not valid YAML: `));
    const unknown = paramsFile('iterations: 3\nwarmup: 2\n');
    expect(usage(['--params', unknown])).to.equal(
      `params file ${unknown}: unknown key "warmup" (known: iterations, concurrency, list-sizes, operations, op-timeout, pull-image, pull-layer-kib, report-dir)`,
    );
    const negative = paramsFile('concurrency: -2\n');
    expect(usage(['--params', negative])).to.equal(`${negative}: concurrency must be from 1 to 64, got -2`);
    expect(usage(['--params', paramsFile('- 1\n')])).to.match(/must be a YAML mapping$/);
    expect(usage(['--params', '/nonexistent/params.yaml'])).to.equal(
      'cannot read params file /nonexistent/params.yaml: ENOENT',
    );
  });
});
