import { expect } from 'chai';
import { deadlineFor, DEFAULT_TIMEOUTS } from './timeouts.js';

describe('deadlineFor', function () {
  const t = { ...DEFAULT_TIMEOUTS, defaultMs: 10_000, pullMs: 120_000, graceMs: 5_000 };
  it('uses the default for ordinary RPCs', function () {
    expect(deadlineFor('ListContainers', {}, t)).to.equal(10_000);
  });
  it('gives PullImage its long deadline', function () {
    expect(deadlineFor('PullImage', {}, t)).to.equal(120_000);
  });
  it('adds the grace to the runtime-side timeout of StopContainer and ExecSync', function () {
    expect(deadlineFor('StopContainer', { timeout: '30' }, t)).to.equal(35_000);
    expect(deadlineFor('ExecSync', { timeout: 2 }, t)).to.equal(7_000);
    expect(deadlineFor('ExecSync', { timeout: 0 }, t)).to.equal(10_000);
  });
});
