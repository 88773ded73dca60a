// `cri-conformance compare OLD.json NEW.json`: what changed between two runs, for a release gate.
import type { Outcome } from './results.js';
import type { ResultsFile } from './results-json.js';

export interface Comparison {
  regressed: { title: string; from: Outcome; to: Outcome; message?: string }[];
  fixed: { title: string; from: Outcome; to: Outcome }[];
  appeared: { title: string; outcome: Outcome }[];
  vanished: { title: string; outcome: Outcome }[];
}

const GOOD: ReadonlySet<Outcome> = new Set(['passed']);

/** A passed test that now fails, errors or is skipped (a feature lost) is a regression. */
export function compareResults(oldRun: ResultsFile, newRun: ResultsFile): Comparison {
  const before = new Map(oldRun.tests.map((t) => [t.fullTitle, t]));
  const after = new Map(newRun.tests.map((t) => [t.fullTitle, t]));
  const c: Comparison = { regressed: [], fixed: [], appeared: [], vanished: [] };
  for (const [title, t] of after) {
    const o = before.get(title);
    if (!o) c.appeared.push({ title, outcome: t.outcome });
    else if (GOOD.has(o.outcome) && !GOOD.has(t.outcome))
      c.regressed.push({ title, from: o.outcome, to: t.outcome, message: t.message });
    else if (!GOOD.has(o.outcome) && GOOD.has(t.outcome)) c.fixed.push({ title, from: o.outcome, to: t.outcome });
  }
  for (const [title, o] of before) if (!after.has(title)) c.vanished.push({ title, outcome: o.outcome });
  return c;
}

export function formatComparison(c: Comparison, oldRun: ResultsFile, newRun: ResultsFile): string {
  const who = (r: ResultsFile): string =>
    `${r.properties['runtime.name'] ?? 'runtime'} ${r.properties['runtime.version'] ?? ''} (run ${r.runId})`.replace(
      /\s+/g,
      ' ',
    );
  const lines = [`compare ${who(oldRun)} → ${who(newRun)}`];
  const section = (name: string, items: string[]): void => {
    lines.push(`${name}: ${items.length}`);
    for (const i of items) lines.push(`  ${i}`);
  };
  section(
    'regressed',
    c.regressed.map((r) => `${r.title} [${r.from} → ${r.to}]${r.message ? `: ${r.message.split('\n')[0]}` : ''}`),
  );
  section(
    'fixed',
    c.fixed.map((r) => `${r.title} [${r.from} → ${r.to}]`),
  );
  section(
    'appeared',
    c.appeared.map((r) => `${r.title} [${r.outcome}]`),
  );
  section(
    'vanished',
    c.vanished.map((r) => `${r.title} [was ${r.outcome}]`),
  );
  return lines.join('\n') + '\n';
}
