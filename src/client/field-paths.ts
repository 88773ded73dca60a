// Which request fields a call set, as deep paths (`config.linux.security_context.run_as_user`),
// read against the message schema from api.proto so that map fields (labels) stay one path.
import type { PackageDefinition } from '@grpc/proto-loader';
import { isMapField, messageDescriptor } from './descriptors.js';

/** True for a field's default value; `'0'` is the zero of an int64 given as a string, but a string field's `'0'` is set (cpuset_cpus "0"). */
function isEmpty(value: unknown, type: string | null | undefined): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 0) return true;
  if (value === '0') return type !== 'TYPE_STRING';
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Uint8Array) return value.length === 0;
  return false;
}

/** The set paths of `request`, a `typeName` message (e.g. `RunPodSandboxRequest`), sorted. */
export function requestFieldPaths(definition: PackageDefinition, typeName: string, request: unknown): string[] {
  const paths = new Set<string>();
  walk(definition, typeName, request, '', paths);
  return [...paths].sort();
}

function walk(definition: PackageDefinition, typeName: string, value: unknown, prefix: string, out: Set<string>): void {
  const desc = messageDescriptor(definition, typeName);
  if (!desc || typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const field of desc.field) {
    const v = record[field.name];
    if (isEmpty(v, field.type)) continue;
    const path = prefix ? `${prefix}.${field.name}` : field.name;
    out.add(path);
    if (field.type !== 'TYPE_MESSAGE' || isMapField(desc, field)) continue;
    const items = field.label === 'LABEL_REPEATED' && Array.isArray(v) ? v : [v];
    for (const item of items) walk(definition, field.typeName, item, path, out);
  }
}

/** A short human summary of the identifying fields of a request, for error messages. */
export function summarizeRequest(request: unknown): string {
  if (typeof request !== 'object' || request === null) return '';
  const parts: string[] = [];
  const visit = (obj: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [k, v] of Object.entries(obj)) {
      if (parts.length >= 4) return;
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string' && v !== '' && /(_id|^id|image|name|^cmd|timeout)$/.test(k)) {
        parts.push(`${key}=${v.length > 24 ? `${v.slice(0, 12)}…` : v}`);
      } else if ((k === 'cmd' || k === 'command') && Array.isArray(v) && v.length > 0) {
        const text = v.join(' ');
        parts.push(`${key}=${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`);
      } else if (
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        depth < 2 &&
        k !== 'labels' &&
        k !== 'annotations'
      ) {
        visit(v as Record<string, unknown>, key, depth + 1);
      }
    }
  };
  visit(request as Record<string, unknown>, '', 0);
  return parts.join(' ');
}
