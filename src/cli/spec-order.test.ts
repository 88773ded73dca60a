import { expect } from 'chai';
import { longestFirst, specName } from './spec-order.js';

describe('longestFirst', function () {
  const files = ['/d/specs/a.spec.js', '/d/specs/b.spec.js', '/d/specs/c.spec.js', '/d/specs/new.spec.js'];

  it('orders files by measured seconds, longest first, unknown files before all', function () {
    expect(longestFirst(files, { a: 1, b: 30, c: 4 })).to.deep.equal([
      '/d/specs/new.spec.js',
      '/d/specs/b.spec.js',
      '/d/specs/c.spec.js',
      '/d/specs/a.spec.js',
    ]);
  });

  it('keeps name order between equal figures', function () {
    expect(longestFirst(files.slice(0, 3), { a: 2, b: 2, c: 2 })).to.deep.equal(files.slice(0, 3));
  });

  it('names a spec by its file name without directory and extension', function () {
    expect(specName('dist/specs/pod-stats.spec.js')).to.equal('pod-stats');
    expect(specName('specs/pod-stats.spec.ts')).to.equal('pod-stats');
  });
});
