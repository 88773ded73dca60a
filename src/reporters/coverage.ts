// CRI-surface coverage: for each of the proto's RPCs, how it was exercised (calls under test and
// as setup, status codes, the tests that target it, the worst outcome among them) and which of
// its request fields a call under test set; and the same per message type (message-coverage.ts).
import type { PackageDefinition } from '@grpc/proto-loader';
import type { CallRecord } from '../client/call-log.js';
import type { Outcome, TestResult } from './results.js';
import { computeMessageCoverage, messageCoverageMarkdown, type MessageCoverage } from './message-coverage.js';
import { criSurface } from './surface.js';

/** Ordered from best to worst coverage verdict. */
export type RpcOutcome = 'not-exercised' | 'unsupported' | 'passed' | 'failed' | 'error';
const RANK: Record<RpcOutcome, number> = { 'not-exercised': 0, unsupported: 1, passed: 2, failed: 3, error: 4 };

export interface RpcCoverage {
  service: string;
  rpc: string;
  outcome: RpcOutcome;
  callsUnderTest: number;
  callsSetup: number;
  statusCodes: Record<string, number>;
  tests: string[];
  fieldsSet: string[];
  fieldsTotal: number;
  fieldCoverage: number;
}

export interface Coverage extends MessageCoverage {
  rpcsTotal: number;
  rpcsExercised: number;
  fieldsSet: number;
  fieldsTotal: number;
  fieldCoverage: number;
  rpcs: RpcCoverage[];
}

function fromTest(outcome: Outcome): RpcOutcome {
  return outcome === 'skipped' ? 'unsupported' : outcome;
}

function worse(a: RpcOutcome, b: RpcOutcome): RpcOutcome {
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * A test targets an RPC when it sits in that RPC's describe (`rpc('X')`) or calls it as the
 * call under test. Skipped tests count as `unsupported` only when skipped for an unimplemented RPC.
 */
export function computeCoverage(
  definition: PackageDefinition,
  calls: readonly CallRecord[],
  tests: readonly TestResult[],
): Coverage {
  const surface = criSurface(definition);
  const names = new Set(surface.map((s) => s.rpc));
  const targets = new Map<string, Set<string>>();
  const target = (rpc: string, title: string): void => {
    if (!names.has(rpc)) return;
    const set = targets.get(rpc) ?? new Set<string>();
    set.add(title);
    targets.set(rpc, set);
  };
  for (const t of tests) for (const part of t.titlePath.slice(0, -1)) target(part, t.fullTitle);
  for (const c of calls) if (c.role === 'under-test' && c.test) target(c.rpc, c.test);
  const byTitle = new Map(tests.map((t) => [t.fullTitle, t]));

  const rpcs = surface.map((s): RpcCoverage => {
    const mine = calls.filter((c) => c.rpc === s.rpc && c.service === s.service);
    const statusCodes: Record<string, number> = {};
    const fieldsSet = new Set<string>();
    for (const c of mine) {
      statusCodes[c.codeName] = (statusCodes[c.codeName] ?? 0) + 1;
      // A field counts only when a call under test set it: setup builds the world a test needs.
      if (c.role === 'under-test') for (const f of c.fields) fieldsSet.add(f);
    }
    const tests = [...(targets.get(s.rpc) ?? [])].sort();
    let outcome: RpcOutcome = 'not-exercised';
    for (const title of tests) {
      const t = byTitle.get(title);
      if (!t) continue;
      if (t.outcome === 'skipped' && !/unsupported|UNIMPLEMENTED/.test(t.message ?? '')) continue;
      outcome = worse(outcome, fromTest(t.outcome));
    }
    const fieldsTotal = s.fieldPaths.length;
    const set = [...fieldsSet].filter((f) => s.fieldPaths.includes(f)).sort();
    return {
      service: s.service,
      rpc: s.rpc,
      outcome,
      callsUnderTest: mine.filter((c) => c.role === 'under-test').length,
      callsSetup: mine.filter((c) => c.role === 'setup').length,
      statusCodes,
      tests,
      fieldsSet: set,
      fieldsTotal,
      fieldCoverage: fieldsTotal === 0 ? 1 : set.length / fieldsTotal,
    };
  });
  const fieldsSet = rpcs.reduce((n, r) => n + r.fieldsSet.length, 0);
  const fieldsTotal = rpcs.reduce((n, r) => n + r.fieldsTotal, 0);
  return {
    rpcsTotal: rpcs.length,
    rpcsExercised: rpcs.filter((r) => r.outcome !== 'not-exercised').length,
    fieldsSet,
    fieldsTotal,
    fieldCoverage: fieldsTotal === 0 ? 1 : fieldsSet / fieldsTotal,
    rpcs,
    ...computeMessageCoverage(definition, surface, calls, tests, rpcs),
  };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function coverageSummary(c: Coverage): string {
  return `RPCs ${c.rpcsExercised}/${c.rpcsTotal}, fields ${pct(c.fieldCoverage)}`;
}

export function coverageMarkdown(c: Coverage): string {
  const lines = [
    '# CRI surface coverage',
    '',
    `${coverageSummary(c)} (${c.fieldsSet} of ${c.fieldsTotal} request field paths set at least once by a call under test).`,
    `Per message type: ${c.messageFieldsSet} of ${c.messageFieldsTotal} fields (${pct(c.messageFieldCoverage)}), each field of each type counted once (see [Field coverage by message type](#field-coverage-by-message-type)).`,
    '',
    'Outcome per RPC is the worst among the tests that target it: not-exercised < unsupported < passed < failed < error.',
    '',
    '| Service | RPC | Outcome | Tests | Calls under test | Setup calls | Status codes | Fields set |',
    '|---|---|---|---:|---:|---:|---|---:|',
  ];
  for (const r of c.rpcs) {
    const codes = Object.entries(r.statusCodes)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ');
    lines.push(
      `| ${r.service} | ${r.rpc} | ${r.outcome} | ${r.tests.length} | ${r.callsUnderTest} | ${r.callsSetup} | ${codes || '—'} | ${r.fieldsSet.length}/${r.fieldsTotal} (${pct(r.fieldCoverage)}) |`,
    );
  }
  lines.push('', '## Request fields set, per RPC', '');
  for (const r of c.rpcs) {
    lines.push(`- **${r.rpc}**: ${r.fieldsSet.length > 0 ? r.fieldsSet.map((f) => `\`${f}\``).join(', ') : '(none)'}`);
  }
  lines.push('', ...messageCoverageMarkdown(c));
  return lines.join('\n') + '\n';
}
