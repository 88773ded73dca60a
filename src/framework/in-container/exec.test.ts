import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { parseParts, partsScript } from './exec.js';

describe('multi-part probe script', function () {
  const run = (parts: Record<string, string>): string =>
    execFileSync('sh', ['-c', partsScript(parts)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

  it("returns each part's stdout byte-exact and its own exit status", function () {
    const parts = {
      one: 'printf "a\\nb\\n"',
      none: 'true',
      partial: 'printf "no newline"',
      fails: 'echo out; echo err >&2; exit 3',
      last: 'echo last',
    };
    expect(parseParts(run(parts), Object.keys(parts))).to.deep.equal({
      one: { stdout: 'a\nb\n', exitCode: 0 },
      none: { stdout: '', exitCode: 0 },
      partial: { stdout: 'no newline', exitCode: 0 },
      fails: { stdout: 'out\n', exitCode: 3 },
      last: { stdout: 'last\n', exitCode: 0 },
    });
  });

  it('runs each part in a subshell of its own', function () {
    const parts = { write: 'v=1; echo set', read: 'echo "${v:-unset}"' };
    expect(parseParts(run(parts), ['write', 'read'])).to.deep.equal({
      write: { stdout: 'set\n', exitCode: 0 },
      read: { stdout: 'unset\n', exitCode: 0 },
    });
  });

  it("throws when a part's output is missing", function () {
    expect(() => parseParts(run({ one: 'echo 1' }), ['one', 'two'])).to.throw(/part "two" is missing/);
    expect(() => parseParts('', ['one'])).to.throw(/part "one" is missing/);
  });
});
