// The CRI container log format kubelet reads (one entry per line):
//   <RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>
// P marks a partial entry (the line continues in the next entry of the same stream), F a full one.
import { readFileSync } from 'node:fs';

export interface CriLogEntry {
  timestamp: string;
  stream: string;
  tag: string;
  content: string;
  /** The raw line, for assertion messages. */
  raw: string;
}

const ENTRY = /^(\S+) (\S+) (\S+) (.*)$/s;

/** Splits a log file's text into entries; a line that does not have four fields keeps empty fields. */
export function parseCriLog(text: string): CriLogEntry[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw) => {
    const m = ENTRY.exec(raw);
    return m
      ? { timestamp: m[1], stream: m[2], tag: m[3], content: m[4], raw }
      : { timestamp: '', stream: '', tag: '', content: '', raw };
  });
}

/** The log file's entries, or [] while the file does not exist yet. */
export function readCriLog(path: string): CriLogEntry[] {
  try {
    return parseCriLog(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** RFC 3339 with a fractional second of 1-9 digits and a zone (Z or ±hh:mm), as Go's RFC3339Nano prints. */
export const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The lines of one stream as kubelet reassembles them: P entries joined up to the next F. */
export function streamLines(entries: readonly CriLogEntry[], stream: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const e of entries.filter((x) => x.stream === stream)) {
    pending += e.content;
    if (e.tag !== 'P') {
      lines.push(pending);
      pending = '';
    }
  }
  if (pending !== '') lines.push(pending);
  return lines;
}
