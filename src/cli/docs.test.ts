// The documentation stays true to the program: the flag tables of docs/ list exactly the flags
// that --help lists, and every relative link of README.md and docs/ names a file that exists.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHMARK_HELP } from '../benchmark/params.js';
import { CLEANUP_HELP } from './cleanup.js';
import { HELP } from './options.js';

const here = fileURLToPath(import.meta.url);
const ROOT = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));

/** The long flags a help text lists at the start of its lines (`  -r, --runtime-endpoint EP  …`). */
function helpFlags(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )? *(--[a-z][a-z-]*)/gm)].map((m) => m[1]).sort();
}

/** The long flags named in the first column of the table under `heading` in `doc`. */
function tableFlags(doc: string, heading: string): string[] {
  const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `${doc} has a "${heading}" section`).to.be.at.least(0);
  const level = heading.split(' ')[0];
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, end);
  const firstCells = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|')[1]);
  return [...new Set(firstCells.flatMap((cell) => [...cell.matchAll(/(--[a-z][a-z-]*)/g)].map((m) => m[1])))].sort();
}

describe('documentation', function () {
  it('lists in docs/running-and-flags.md exactly the flags of --help', function () {
    expect(tableFlags('running-and-flags.md', '## Flags')).to.deep.equal(helpFlags(HELP));
  });

  it('lists in docs/running-and-flags.md exactly the flags of cleanup --help', function () {
    expect(tableFlags('running-and-flags.md', '### Cleanup flags')).to.deep.equal(helpFlags(CLEANUP_HELP));
  });

  it('lists in docs/benchmark.md exactly the flags of benchmark --help', function () {
    expect(tableFlags('benchmark.md', '### Flags')).to.deep.equal(helpFlags(BENCHMARK_HELP));
  });

  it('links from README.md and docs/ only to files that exist', function () {
    const docs = [
      'README.md',
      ...readdirSync(join(ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue; // a web address
        if (!existsSync(join(ROOT, dirname(doc), target))) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken, 'links to files that do not exist').to.deep.equal([]);
  });
});
