// Field coverage per message type: for every message of api.proto reachable from the 41 requests,
// which of its own fields a call under test set, whichever request path reached it. Per-RPC paths
// count PodSandboxConfig three times (RunPodSandboxRequest.config, CreateContainerRequest
// .sandbox_config, PullImageRequest.sandbox_config); here each field of each type counts once.
import type { PackageDefinition } from '@grpc/proto-loader';
import type { CallRecord } from '../client/call-log.js';
import { isMapField, messageDescriptor, type FieldDescriptor } from '../client/descriptors.js';
import type { TestResult } from './results.js';
import type { RpcSurface } from './surface.js';
import { declaredUnsetReason, type UnsetReason } from './unset-reasons.js';

export interface UnsetField {
  field: string;
  reason: UnsetReason;
  /** One line: the skip message of this run, or the declared reason. */
  why: string;
  /** Marked `[deprecated=true]` in api.proto (still counted). */
  deprecated?: true;
}

export interface MessageTypeCoverage {
  type: string;
  /** Field names in api.proto order. */
  fieldsSet: string[];
  fieldsTotal: number;
  fieldCoverage: number;
  unset: UnsetField[];
}

export interface MessageCoverage {
  messageFieldsSet: number;
  messageFieldsTotal: number;
  messageFieldCoverage: number;
  messageTypes: MessageTypeCoverage[];
}

/** What the message coverage needs of the per-RPC coverage: whether each RPC was unsupported. */
export interface RpcVerdict {
  service: string;
  rpc: string;
  outcome: string;
  tests: string[];
}

/** A field as the loader describes it, with the options it carries (`deprecated`). */
type FieldWithOptions = FieldDescriptor & { options?: { deprecated?: boolean } | null };

/** The message type a field leads into, or undefined for scalars, enums and map fields (leaves). */
function childType(definition: PackageDefinition, typeName: string, field: FieldDescriptor): string | undefined {
  const desc = messageDescriptor(definition, typeName);
  if (!desc || field.type !== 'TYPE_MESSAGE' || isMapField(desc, field)) return undefined;
  return messageDescriptor(definition, field.typeName) ? field.typeName : undefined;
}

/**
 * Every message type reachable from `roots` through message fields (map entries are not types),
 * entering only the types `enter` accepts.
 */
export function reachableTypes(
  definition: PackageDefinition,
  roots: readonly string[],
  enter: (type: string) => boolean = () => true,
): string[] {
  const seen = new Set<string>();
  const queue = roots.filter((r) => messageDescriptor(definition, r) && enter(r));
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (seen.has(type)) continue;
    seen.add(type);
    for (const field of messageDescriptor(definition, type)!.field) {
      const child = childType(definition, type, field);
      if (child && !seen.has(child) && enter(child)) queue.push(child);
    }
  }
  return [...seen];
}

/** The (type, field) pairs a request path runs through: `config.linux` → RunPodSandboxRequest.config, PodSandboxConfig.linux. */
export function pathFields(
  definition: PackageDefinition,
  requestType: string,
  path: string,
): { type: string; field: string }[] {
  const steps: { type: string; field: string }[] = [];
  let type: string | undefined = requestType;
  for (const name of path.split('.')) {
    const field = type ? messageDescriptor(definition, type)?.field.find((f) => f.name === name) : undefined;
    if (!type || !field) break;
    steps.push({ type, field: name });
    type = childType(definition, type, field);
  }
  return steps;
}

const key = (type: string, field: string): string => `${type}.${field}`;
const SKIPPED_UNSUPPORTED = /unsupported|UNIMPLEMENTED/;
const SKIPPED_HOST = /^host lacks\b/;

type Derived = { reason: UnsetReason; why: string };

/**
 * Why the fields skipped tests are about went unset in this run: a test's declared `feature` (a
 * request path of its RPC) names the field, and its skip message says whether the runtime
 * (`unsupported: …`) or the host (`host lacks …`) lacks it. When that field is itself a message
 * no call set, the types below it that no call touched inherit the reason (the test for
 * `selinux_options` would have set SELinuxOption's fields); a touched type stops it
 * (LinuxContainerResources, set through CreateContainer, is not "unsupported" because
 * UpdatePodSandboxResources is, nor is HugepageLimit below it).
 */
function skippedFeatures(
  definition: PackageDefinition,
  requestTypes: ReadonlyMap<string, string>,
  tests: readonly TestResult[],
  set: ReadonlySet<string>,
  touched: ReadonlySet<string>,
): { byField: Map<string, Derived>; byType: Map<string, Derived> } {
  const byField = new Map<string, Derived>();
  const byType = new Map<string, Derived>();
  for (const t of tests) {
    if (t.outcome !== 'skipped' || !t.rpc || !t.feature) continue;
    const message = t.message ?? '';
    const reason: UnsetReason | undefined = SKIPPED_HOST.test(message)
      ? 'host lacks'
      : SKIPPED_UNSUPPORTED.test(message)
        ? 'unsupported here'
        : undefined;
    const requestType = requestTypes.get(t.rpc);
    const last = requestType ? pathFields(definition, requestType, t.feature).at(-1) : undefined;
    if (!reason || !last) continue;
    const derived = { reason, why: `${message} ("${t.titlePath.at(-1) ?? t.fullTitle}" skipped)` };
    const k = key(last.type, last.field);
    if (!byField.has(k)) byField.set(k, derived);
    const field = messageDescriptor(definition, last.type)?.field.find((f) => f.name === last.field);
    const child = field && !set.has(k) ? childType(definition, last.type, field) : undefined;
    if (!child) continue;
    for (const type of reachableTypes(definition, [child], (t) => !touched.has(t)))
      if (!byType.has(type)) byType.set(type, derived);
  }
  return { byField, byType };
}

/** The skip message of one of the RPC's tests that skipped as unsupported. */
function unsupportedMessage(rpc: RpcVerdict, byTitle: ReadonlyMap<string, TestResult>): string {
  for (const title of rpc.tests) {
    const t = byTitle.get(title);
    if (t?.outcome === 'skipped' && SKIPPED_UNSUPPORTED.test(t.message ?? '')) return t.message ?? '';
  }
  return 'unsupported';
}

export function computeMessageCoverage(
  definition: PackageDefinition,
  surface: readonly RpcSurface[],
  calls: readonly CallRecord[],
  tests: readonly TestResult[],
  rpcs: readonly RpcVerdict[],
): MessageCoverage {
  const requestTypes = new Map(surface.map((s) => [s.rpc, s.requestType]));
  const requestOf = new Map(surface.map((s) => [`${s.service}/${s.rpc}`, s.requestType]));
  const set = new Set<string>();
  for (const c of calls) {
    // A field counts only when a call under test set it: setup builds the world a test needs.
    const requestType = c.role === 'under-test' ? requestOf.get(`${c.service}/${c.rpc}`) : undefined;
    if (!requestType) continue;
    for (const path of c.fields)
      for (const step of pathFields(definition, requestType, path)) set.add(key(step.type, step.field));
  }

  const touched = new Set([...set].map((k) => k.slice(0, k.indexOf('.'))));
  const skipped = skippedFeatures(definition, requestTypes, tests, set, touched);
  // The RPCs whose request reaches each type: a type only unsupported RPCs reach could not be set.
  const reachedBy = new Map<string, RpcVerdict[]>();
  for (const r of rpcs) {
    const requestType = requestOf.get(`${r.service}/${r.rpc}`);
    if (!requestType) continue;
    for (const type of reachableTypes(definition, [requestType]))
      reachedBy.set(type, [...(reachedBy.get(type) ?? []), r]);
  }
  const byTitle = new Map(tests.map((t) => [t.fullTitle, t]));
  const whyUnset = (type: string, field: string): Derived => {
    const declared = declaredUnsetReason(type, field);
    if (declared) return { reason: declared.reason, why: declared.why };
    const direct = skipped.byField.get(key(type, field));
    if (direct) return direct;
    const inherited = skipped.byType.get(type);
    if (inherited) return inherited;
    const via = reachedBy.get(type) ?? [];
    if (via.length > 0 && via.every((r) => r.outcome === 'unsupported'))
      return {
        reason: 'unsupported here',
        why: via.map((r) => `${r.rpc}: ${unsupportedMessage(r, byTitle)}`).join('; '),
      };
    return { reason: 'missing test', why: 'no call under test sets it' };
  };

  const messageTypes = reachableTypes(
    definition,
    surface.map((s) => s.requestType),
  )
    .sort()
    .map((type): MessageTypeCoverage => {
      const fields = messageDescriptor(definition, type)!.field as FieldWithOptions[];
      const fieldsSet = fields.filter((f) => set.has(key(type, f.name))).map((f) => f.name);
      const unset = fields
        .filter((f) => !set.has(key(type, f.name)))
        .map((f): UnsetField => ({
          field: f.name,
          ...whyUnset(type, f.name),
          ...(f.options?.deprecated ? { deprecated: true as const } : {}),
        }));
      return {
        type,
        fieldsSet,
        fieldsTotal: fields.length,
        fieldCoverage: fields.length === 0 ? 1 : fieldsSet.length / fields.length,
        unset,
      };
    });
  const messageFieldsSet = messageTypes.reduce((n, t) => n + t.fieldsSet.length, 0);
  const messageFieldsTotal = messageTypes.reduce((n, t) => n + t.fieldsTotal, 0);
  return {
    messageFieldsSet,
    messageFieldsTotal,
    messageFieldCoverage: messageFieldsTotal === 0 ? 1 : messageFieldsSet / messageFieldsTotal,
    messageTypes,
  };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const REASONS: UnsetReason[] = ['unsupported here', 'host lacks', 'windows only', 'missing test'];

/** Unset fields of a type counted by reason, in the order of REASONS. */
export function unsetByReason(t: MessageTypeCoverage): Record<UnsetReason, number> {
  const counts = Object.fromEntries(REASONS.map((r) => [r, 0])) as Record<UnsetReason, number>;
  for (const u of t.unset) counts[u.reason] += 1;
  return counts;
}

export function messageCoverageMarkdown(m: MessageCoverage): string[] {
  const withFields = m.messageTypes.filter((t) => t.fieldsTotal > 0);
  const lines = [
    '## Field coverage by message type',
    '',
    `${m.messageFieldsSet} of ${m.messageFieldsTotal} fields (${pct(m.messageFieldCoverage)}) of the ${m.messageTypes.length} message types reachable from the requests were set by a call under test. ` +
      'Each field of each type counts once, whichever request path reached it (PodSandboxConfig is both `RunPodSandboxRequest.config` and `CreateContainerRequest.sandbox_config`); ' +
      'a map field is one field; deprecated fields count. Calls made as setup do not count.',
    '',
    `| Message type | Fields set | ${REASONS.map((r) => `Unset: ${r}`).join(' | ')} |`,
    `|---|---:|${REASONS.map(() => '---:').join('|')}|`,
  ];
  for (const t of withFields) {
    const counts = unsetByReason(t);
    lines.push(
      `| ${t.type} | ${t.fieldsSet.length}/${t.fieldsTotal} (${pct(t.fieldCoverage)}) | ${REASONS.map((r) => counts[r] || '').join(' | ')} |`,
    );
  }
  const empty = m.messageTypes.filter((t) => t.fieldsTotal === 0).map((t) => t.type);
  if (empty.length > 0) lines.push('', `Requests without fields: ${empty.join(', ')}.`);
  lines.push('', '### Fields no test sets, and why', '');
  for (const t of withFields) {
    if (t.unset.length === 0) continue;
    // Fields with the same reason and why are listed together: one line per reason, not per field.
    const groups = new Map<string, string[]>();
    for (const u of t.unset) {
      const label = u.reason === 'missing test' ? u.reason : `${u.reason} (${u.why})`;
      groups.set(label, [...(groups.get(label) ?? []), `\`${u.field}\`${u.deprecated ? ' (deprecated)' : ''}`]);
    }
    const items = [...groups].map(([label, fields]) => `${label}: ${fields.join(', ')}`);
    lines.push(`- **${t.type}** — ${items.join('; ')}`);
  }
  return lines;
}
