// Why a request field that no call under test set is unset, when the reason does not come from the
// run itself. The reports derive `unsupported here` and `host lacks` from the skips of this run (a
// test about the field that skipped, or an RPC whose tests all skipped as unsupported); what is
// declared here is what holds on any Linux run. Anything else is a `missing test`.

export type UnsetReason = 'unsupported here' | 'host lacks' | 'windows only' | 'missing test';

export interface DeclaredUnsetReason {
  /** `Type.field`, or a type-name prefix ending in `*` (`Windows*`) for every field of those types. */
  match: string;
  reason: UnsetReason;
  why: string;
}

/** Checked by a unit test: every entry names a field (or types) of api.proto reachable from a request. */
export const DECLARED_UNSET_REASONS: readonly DeclaredUnsetReason[] = [
  {
    match: 'Windows*',
    reason: 'windows only',
    why: 'a field of a Windows message, which a Linux runtime does not read',
  },
  {
    match: 'PodSandboxConfig.windows',
    reason: 'windows only',
    why: 'api.proto: "Optional configurations specific to Windows hosts"',
  },
  {
    match: 'ContainerConfig.windows',
    reason: 'windows only',
    why: 'api.proto: "Configuration specific to Windows containers"',
  },
  {
    match: 'UpdateContainerResourcesRequest.windows',
    reason: 'windows only',
    why: 'api.proto: "Resource configuration specific to Windows containers"',
  },
];

function matches(entry: DeclaredUnsetReason, type: string, field: string): boolean {
  if (entry.match.endsWith('*')) return type.startsWith(entry.match.slice(0, -1));
  return entry.match === `${type}.${field}`;
}

/** The declared reason for `type.field` being unset, if this table has one (an exact field first). */
export function declaredUnsetReason(type: string, field: string): DeclaredUnsetReason | undefined {
  const hits = DECLARED_UNSET_REASONS.filter((e) => matches(e, type, field));
  return hits.find((e) => !e.match.endsWith('*')) ?? hits[0];
}
