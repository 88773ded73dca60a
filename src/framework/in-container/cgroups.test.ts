import { expect } from 'chai';
import { weightsForShares } from './cgroups.js';

describe('weightsForShares', function () {
  it('gives the linear (runc < 1.3) and the newer cgroup v2 weights for CPU shares', function () {
    expect(weightsForShares(1024)).to.deep.equal([39, 100]);
    expect(weightsForShares(2)).to.deep.equal([1]);
    expect(weightsForShares(262144)).to.deep.equal([10000]);
  });
});
