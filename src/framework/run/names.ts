// Names and labels of everything the suite creates: `crit-<runId>-<slug>-<n>`, labelled with the run.
import { randomUUID } from 'node:crypto';
import { ctx, RUN_LABEL } from './context.js';

let counter = 0;

export function uniqueName(slug: string): string {
  counter += 1;
  const clean =
    slug
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30) || 'x';
  return `crit-${ctx().runId}-${clean}-${process.pid % 10000}-${counter}`;
}

export function runLabels(): Record<string, string> {
  return { [RUN_LABEL]: ctx().runId };
}

export function newUid(): string {
  return randomUUID();
}

/** An id no runtime has issued: 64 hex digits, like a real container id. */
export function unknownId(): string {
  return (randomUUID() + randomUUID()).replace(/-/g, '').slice(0, 64);
}
