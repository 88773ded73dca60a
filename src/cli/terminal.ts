// What the conformance command returns and prints about itself: its exit codes and the suite's
// version. Its one-line messages go through common/say.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXIT = { ok: 0, failures: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

export function suiteVersion(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));
  return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
}
