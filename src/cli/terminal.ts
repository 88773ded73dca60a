// What a command says and returns: its exit codes, its one-line messages on stderr, and the
// suite's version.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EXIT = { ok: 0, failures: 1, usage: 2, unreachable: 3, interrupted: 130 } as const;

export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export function suiteVersion(): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf(here.includes('/dist/') ? '/dist/' : '/src/'));
  return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
}
