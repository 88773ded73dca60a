// The self-test's catalogue names real tests: every stable id a mutant or fault gives in
// `caughtBy` is the id of a test of the suite as compiled (`cri-conformance --list-ids`).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FAULTS } from './faults.js';
import { MUTANTS } from './mutants.js';

const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));

describe('self-test catalogue', function () {
  this.timeout(30_000);
  const ids = new Set(
    execFileSync(process.execPath, [CLI, '--list-ids'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]),
  );

  it('names every test that must catch a mutant by an id the suite has', function () {
    const unknown = MUTANTS.flatMap((m) => m.caughtBy.filter((id) => !ids.has(id)).map((id) => `${m.name}: ${id}`));
    expect(unknown, 'ids in caughtBy that no test has').to.deep.equal([]);
    expect(
      MUTANTS.filter((m) => m.caughtBy.length === 0).map((m) => m.name),
      'mutants that name no test',
    ).to.deep.equal([]);
  });

  it('names the tests of every transport fault by an id the suite has (a full-run fault names none)', function () {
    const unknown = FAULTS.flatMap((f) => f.caughtBy.filter((id) => !ids.has(id)).map((id) => `${f.name}: ${id}`));
    expect(unknown, 'ids in caughtBy that no test has').to.deep.equal([]);
    expect(
      FAULTS.filter((f) => (f.caughtBy.length === 0) !== Boolean(f.fullRun)).map((f) => f.name),
      'faults that name tests and run the whole suite, or name none and run one test',
    ).to.deep.equal([]);
  });

  it('gives each of these tests its own id', function () {
    const lines = execFileSync(process.execPath, [CLI, '--list-ids'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(lines.length, 'tests with an id').to.equal(ids.size);
    expect(
      lines.every((l) => /^[a-z0-9]+(?:[.-][a-z0-9]+)*\t\S/.test(l)),
      'every line is "<id>\\t<title>"',
    ).to.equal(true);
  });
});
