import { expect } from 'chai';
import { opsPerSecond, percentile, summarize } from './latency-stats.js';

describe('benchmark statistics', function () {
  it('takes nearest-rank percentiles: the sample at rank ceil(p/100 · n)', function () {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(ten, 50)).to.equal(5);
    expect(percentile(ten, 90)).to.equal(9);
    expect(percentile(ten, 99)).to.equal(10);
    expect(percentile(ten, 100)).to.equal(10);
    expect(percentile(ten, 0)).to.equal(1);
    expect(percentile([15, 20, 35, 40, 50], 30)).to.equal(20);
    expect(percentile([15, 20, 35, 40, 50], 40)).to.equal(20);
    expect(percentile([15, 20, 35, 40, 50], 50)).to.equal(35);
    expect(percentile([7], 99)).to.equal(7);
  });

  it('rejects an empty sample set and a percentile outside 0..100', function () {
    expect(() => percentile([], 50)).to.throw(RangeError);
    expect(() => percentile([1], 101)).to.throw(RangeError);
    expect(() => percentile([1], -1)).to.throw(RangeError);
  });

  it('summarizes unsorted samples: min, percentiles, max, mean and sample standard deviation', function () {
    const s = summarize([4, 2, 8, 6]);
    expect(s).to.deep.equal({
      count: 4,
      minMs: 2,
      p50Ms: 4,
      p90Ms: 8,
      p99Ms: 8,
      maxMs: 8,
      meanMs: 5,
      stddevMs: Math.sqrt(20 / 3),
    });
  });

  it('gives a standard deviation of 0 for one sample and no statistics for none', function () {
    expect(summarize([3])?.stddevMs).to.equal(0);
    expect(summarize([])).to.equal(undefined);
  });

  it('p99 of 100 samples is the 99th smallest, not the largest', function () {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarize(samples)?.p99Ms).to.equal(99);
  });

  it('computes throughput as successful operations per wall second of the phase', function () {
    expect(opsPerSecond(10, 2000)).to.equal(5);
    expect(opsPerSecond(0, 0)).to.equal(0);
  });
});
