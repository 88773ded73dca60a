// Every feature a spec declares (`rpc('X', fn, { feature })` or itId's) is a request field path
// of X in api.proto, so junit.xml never names a field the proto does not have.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SpecTest } from './mocha-run.js';
import { loadCri } from '../client/proto.js';
import { criSurface } from '../reporters/surface.js';

const MOCHA_RUN = fileURLToPath(new URL('./mocha-run.js', import.meta.url));

describe('declared features', function () {
  this.timeout(60_000);

  it('name a request field path of the RPC under test', function () {
    // The spec files are loaded in a child process: loading them here would add their describes to this run.
    const script = `const { listTests } = await import(${JSON.stringify(MOCHA_RUN)}); console.log(JSON.stringify(await listTests(undefined)));`;
    const tests = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 16 << 20 }),
    ) as SpecTest[];
    const surface = new Map(criSurface(loadCri().definition).map((r) => [r.rpc, new Set(r.fieldPaths)]));
    const withFeature = tests.filter((t) => t.feature !== undefined);
    expect(withFeature.length, 'tests with a declared feature').to.be.greaterThan(50);
    const wrong = withFeature
      .filter((t) => !t.rpc || !surface.get(t.rpc)?.has(t.feature ?? ''))
      .map((t) => `${t.title}: ${t.rpc ?? '(no rpc)'} has no request field ${t.feature ?? ''}`);
    expect(wrong, 'declared features that are not request fields of their RPC').to.deep.equal([]);
  });
});
