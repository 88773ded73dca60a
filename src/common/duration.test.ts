import { expect } from 'chai';
import { parseDuration, DurationError } from './duration.js';

describe('parseDuration', function () {
  const cases: [string, number][] = [
    ['30s', 30_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['5', 5_000],
    ['1.5s', 1_500],
    ['1h', 3_600_000],
  ];
  for (const [text, ms] of cases) {
    it(`reads ${text} as ${ms} ms`, function () {
      expect(parseDuration(text)).to.equal(ms);
    });
  }
  for (const bad of ['', 's', '10x', '1m 30s', '-5s', 'abc']) {
    it(`rejects ${JSON.stringify(bad)}`, function () {
      expect(() => parseDuration(bad)).to.throw(DurationError);
    });
  }
});
