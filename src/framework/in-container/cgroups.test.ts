import { expect } from 'chai';
import { cgroupFileScript, hugepageSizeName, weightsForShares } from './cgroups.js';

describe('weightsForShares', function () {
  it('gives the linear (runc < 1.3) and the newer cgroup v2 weights for CPU shares', function () {
    expect(weightsForShares(1024)).to.deep.equal([39, 100]);
    expect(weightsForShares(2)).to.deep.equal([1]);
    expect(weightsForShares(262144)).to.deep.equal([10000]);
  });
});

describe('hugepageSizeName', function () {
  it('names /sys/kernel/mm/hugepages entries as CRI page sizes (base 1024)', function () {
    expect(
      ['hugepages-2048kB', 'hugepages-1048576kB', 'hugepages-64kB', 'hugepages-32768kB', 'other'].map(hugepageSizeName),
    ).to.deep.equal(['2MB', '1GB', '64KB', '32MB', undefined]);
  });
});

describe('cgroupFileScript', function () {
  it('reads the v2 path on cgroup v2, the v1 path otherwise, and fails for a version without the file', function () {
    expect(cgroupFileScript({ v1: 'cpuset/cpuset.cpus', v2: 'cpuset.cpus' })).to.equal(
      'if [ -f /sys/fs/cgroup/cgroup.controllers ]; then cat /sys/fs/cgroup/cpuset.cpus; else cat /sys/fs/cgroup/cpuset/cpuset.cpus; fi',
    );
    expect(cgroupFileScript({ v2: 'pids.max' })).to.match(/else exit 2; fi$/);
  });
});
