// Reads the results.json of several runs of the same suite and lists every test whose verdict
// changed between them (scripts/repeat). Exit 0 when none changed, 1 otherwise.
import { readFileSync } from 'node:fs';

interface Results {
  tests: { fullTitle: string; outcome: string; knownFailure?: string; message?: string }[];
}

/** The verdict of a test: its outcome, with a listed known failure kept apart from a new one. */
const verdict = (t: Results['tests'][number]): string => (t.knownFailure ? 'known-failure' : t.outcome);

export function verdictChanges(runs: Results[]): { title: string; verdicts: string[] }[] {
  const titles = new Set(runs.flatMap((r) => r.tests.map((t) => t.fullTitle)));
  const changes: { title: string; verdicts: string[] }[] = [];
  for (const title of [...titles].sort()) {
    const verdicts = runs.map((r) => {
      const t = r.tests.find((x) => x.fullTitle === title);
      return t ? verdict(t) : 'absent';
    });
    if (new Set(verdicts).size > 1) changes.push({ title, verdicts });
  }
  return changes;
}

function main(files: string[]): number {
  const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Results);
  const changes = verdictChanges(runs);
  const total = new Set(runs.flatMap((r) => r.tests.map((t) => t.fullTitle))).size;
  process.stdout.write(`verdicts of ${total} tests over ${runs.length} runs: ${changes.length} changed\n`);
  for (const c of changes) {
    process.stdout.write(`  ${c.title}: ${c.verdicts.map((v, i) => `run ${i + 1} ${v}`).join(', ')}\n`);
    for (const [i, r] of runs.entries()) {
      const t = r.tests.find((x) => x.fullTitle === c.title);
      if (t && t.outcome !== 'passed' && t.message)
        process.stdout.write(`    run ${i + 1}: ${t.message.replace(/\s+/g, ' ').slice(0, 200)}\n`);
    }
  }
  return changes.length === 0 ? 0 : 1;
}

if (process.argv[1]?.endsWith('verdict-changes.js')) process.exit(main(process.argv.slice(2)));
