import { expect } from 'chai';
import { hasFailedBeforeAll, reportTestsUnderFailedHooks, type ListedTest } from './not-run.js';
import type { TestResult } from './results.js';

const hook: TestResult = {
  file: 'specs/container-list.spec.ts',
  titlePath: ['Container', '"before all" hook in "Container"'],
  fullTitle: 'Container "before all" hook in "Container"',
  outcome: 'error',
  durationMs: 1200,
  message: 'precondition StartContainer failed: it never started',
};
const elsewhere: TestResult = {
  file: 'specs/container.spec.ts',
  titlePath: ['Container', 'StartContainer', 'moves the container to CONTAINER_RUNNING'],
  fullTitle: 'Container StartContainer moves the container to CONTAINER_RUNNING',
  outcome: 'failed',
  durationMs: 1000,
};
const listed: ListedTest[] = [
  {
    file: 'specs/container-list.spec.ts',
    titlePath: ['Container', 'ListContainers', 'lists every container'],
    fullTitle: 'Container ListContainers lists every container',
  },
  {
    file: 'specs/container-list.spec.ts',
    titlePath: ['Container', 'ListContainers', 'filters by state'],
    fullTitle: 'Container ListContainers filters by state',
  },
  { file: elsewhere.file, titlePath: elsewhere.titlePath, fullTitle: elsewhere.fullTitle },
];

describe('tests a failed "before all" hook kept from running', function () {
  it('are each reported as an error naming the hook, in place of the hook', function () {
    expect(hasFailedBeforeAll([elsewhere, hook])).to.equal(true);
    const out = reportTestsUnderFailedHooks([elsewhere, hook], listed);
    expect(out.map((t) => [t.fullTitle, t.outcome])).to.deep.equal([
      [elsewhere.fullTitle, 'failed'],
      ['Container ListContainers lists every container', 'error'],
      ['Container ListContainers filters by state', 'error'],
    ]);
    expect(out[1].message).to.equal(
      'not run: the "before all" hook of "Container" failed: precondition StartContainer failed: it never started',
    );
    expect(out[1].titlePath).to.deep.equal(['Container', 'ListContainers', 'lists every container']);
  });

  it('leave a hook whose tests were all reported, and a run without failed hooks, as they are', function () {
    expect(hasFailedBeforeAll([elsewhere])).to.equal(false);
    const reported: TestResult = { ...elsewhere, file: hook.file, fullTitle: listed[0].fullTitle };
    const again: TestResult = { ...elsewhere, file: hook.file, fullTitle: listed[1].fullTitle };
    expect(reportTestsUnderFailedHooks([reported, again, hook], listed)).to.deep.equal([reported, again, hook]);
  });
});
