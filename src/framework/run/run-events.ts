// Facts a test process must hand to the CLI that mocha's events do not carry: why a test was
// skipped, which cleanups failed, when and in which process a test's body began. Appended as JSON lines to the run directory, one file per
// process, so parallel workers need no channel of their own.
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushCallLog } from '../../client/call-log.js';

export type RunEvent =
  | { kind: 'skip'; test: string; reason: string }
  | { kind: 'cleanup-failure'; test: string; message: string }
  | { kind: 'setup-error'; test: string; message: string }
  | { kind: 'pulled-image'; ref: string }
  | { kind: 'test-start'; test: string; pid: number; startedAt: number; rpc?: string; id?: string; feature?: string };

export function appendRunEvent(runDir: string, event: RunEvent): void {
  try {
    mkdirSync(runDir, { recursive: true });
    appendFileSync(join(runDir, `events-${process.pid}.jsonl`), JSON.stringify(event) + '\n');
  } catch (err) {
    process.stderr.write(`warning: could not record run event in ${runDir}: ${(err as Error).message}\n`);
  }
}

/** Flushes this process's call log into the run directory. */
export function flushRunFiles(runDir: string): void {
  flushCallLog(runDir);
}

/** Every event any process of the run recorded. Malformed lines (a process killed mid-write) are dropped. */
export function readRunEvents(runDir: string): RunEvent[] {
  const events: RunEvent[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(runDir).filter((f) => f.startsWith('events-') && f.endsWith('.jsonl'));
  } catch {
    return events;
  }
  for (const f of files) {
    for (const line of readFileSync(join(runDir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        // a partial last line from an interrupted process carries nothing usable
      }
    }
  }
  return events;
}
