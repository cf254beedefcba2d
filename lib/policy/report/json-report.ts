import { AcknowledgmentRecord, isExpired } from '../acknowledgment-records';
import type { ComplianceResult, Evaluation, Finding } from '../engine';

/** Name and version written into every report. */
export const TOOL = { name: 'regulated-mlops', version: '0.1.0' } as const;

/** Counts of verdicts. */
export interface VerdictCounts {
  pass: number;
  fail: number;
  couldNotEvaluate: number;
  acknowledged: number;
}

/** One control of one pack: which rules give evidence for it, over which resources, with what verdicts. */
export interface ControlCoverage {
  readonly pack: string;
  readonly control: string;
  readonly title?: string;
  readonly rules: string[];
  readonly resources: VerdictCounts;
  /** `satisfied` (evidence, no violation), `violated`, or `not-evidenced` (no resource of the rules' types). */
  readonly status: 'satisfied' | 'violated' | 'not-evidenced';
}

/** An acknowledgment in the ledger: who, why, until when, and what it covered. */
export interface LedgerEntry extends AcknowledgmentRecord {
  readonly status: 'active' | 'expired' | 'invalid' | 'unused';
  /** `stack/logicalId` of each resource it covered (or would have, when expired). */
  readonly resources: string[];
  readonly problem?: string;
}

/** The machine-readable compliance report (`compliance-report.json`). */
export interface ComplianceReport {
  readonly tool: typeof TOOL;
  readonly evaluatedAt: string;
  readonly verdict: 'compliant' | 'non-compliant';
  readonly packs: { id: string; version: string; framework: string }[];
  readonly summary: {
    documents: number;
    resourcesEvaluated: number;
    rulesRun: number;
    evaluations: VerdictCounts & { notApplicable: number };
    findings: number;
    acknowledgments: number;
  };
  readonly findings: (Omit<Finding, 'mappings'> & { controls: Record<string, string[]> })[];
  readonly resources: { source: string; stack?: string; logicalId: string; type: string; constructPath?: string; results: Evaluation[] }[];
  readonly controls: ControlCoverage[];
  readonly acknowledgments: LedgerEntry[];
  readonly rules: { id: string; title: string; severity: string; acknowledgeable: boolean; controls: Record<string, string[]> }[];
}

const STATUS_KEY = { pass: 'pass', fail: 'fail', 'could-not-evaluate': 'couldNotEvaluate', acknowledged: 'acknowledged' } as const;

/** Builds the JSON report: every evaluation per resource, coverage per control, the acknowledgment ledger. */
export function buildComplianceReport(result: ComplianceResult): ComplianceReport {
  const evaluations = { pass: 0, fail: 0, couldNotEvaluate: 0, acknowledged: 0, notApplicable: result.notApplicableCount };
  type Slot = { pack: string; control: string; rules: Set<string>; resources: VerdictCounts };
  const coverage = new Map<string, Slot>();
  // The coverage slots each rule feeds, resolved once: thousands of resources then only increment counters.
  const slotsByRule = new Map<string, Slot[]>();
  for (const { rule, mappings } of result.rules.values()) {
    const slots: Slot[] = [];
    for (const m of mappings) {
      for (const control of m.controls) {
        const key = `${m.packId}\u0000${control}`;
        let slot = coverage.get(key);
        if (!slot) {
          slot = { pack: m.packId, control, rules: new Set<string>(), resources: emptyCounts() };
          coverage.set(key, slot);
        }
        slot.rules.add(rule.id);
        slots.push(slot);
      }
    }
    slotsByRule.set(rule.id, slots);
  }
  for (const resource of result.resources) {
    // One verdict per rule per resource for coverage, the worst of its outcomes.
    const worst = new Map<string, keyof VerdictCounts>();
    for (const e of resource.evaluations) {
      const status = STATUS_KEY[e.status];
      evaluations[status]++;
      const previous = worst.get(e.ruleId);
      if (!previous || RANK[status] > RANK[previous]) worst.set(e.ruleId, status);
    }
    for (const [ruleId, status] of worst) {
      for (const slot of slotsByRule.get(ruleId) ?? []) slot.resources[status]++;
    }
  }

  const titles = new Map(result.packs.map((p) => [p.id, p.controlTitles ?? {}]));
  const controls: ControlCoverage[] = [...coverage.values()].map((c) => ({
    pack: c.pack,
    control: c.control,
    title: titles.get(c.pack)?.[c.control],
    rules: [...c.rules].sort(),
    resources: c.resources,
    status: c.resources.fail + c.resources.couldNotEvaluate > 0 ? 'violated'
      : c.resources.pass + c.resources.acknowledged > 0 ? 'satisfied' : 'not-evidenced',
  }));

  const acknowledgments = ledger(result);
  return {
    tool: TOOL,
    evaluatedAt: result.evaluatedAt.toISOString(),
    verdict: result.findings.length === 0 ? 'compliant' : 'non-compliant',
    packs: result.packs.map((p) => ({ id: p.id, version: p.version, framework: p.framework })),
    summary: {
      documents: new Set(result.resources.map((r) => r.source)).size,
      resourcesEvaluated: result.resources.length,
      rulesRun: result.rules.size,
      evaluations,
      findings: result.findings.length,
      acknowledgments: acknowledgments.filter((l) => l.status === 'active').length,
    },
    findings: result.findings.map(({ mappings, ...f }) => ({ ...f, controls: Object.fromEntries(mappings.map((m) => [m.packId, [...m.controls]])) })),
    resources: result.resources.map(({ evaluations: results, ...r }) => ({ ...r, results: results as Evaluation[] })),
    controls,
    acknowledgments,
    rules: [...result.rules.values()].map(({ rule, mappings }) => ({
      id: rule.id, title: rule.title, acknowledgeable: rule.acknowledgeable,
      severity: mappings.map((m) => m.severity).sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])[0] ?? rule.severity,
      controls: Object.fromEntries(mappings.map((m) => [m.packId, [...m.controls]])),
    })),
  };
}

const RANK: Record<keyof VerdictCounts, number> = { pass: 0, acknowledged: 1, couldNotEvaluate: 2, fail: 3 };
const SEVERITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

function emptyCounts(): VerdictCounts {
  return { pass: 0, fail: 0, couldNotEvaluate: 0, acknowledged: 0 };
}

/** Every acknowledgment met, once, with the resources it covered and whether it still holds. */
export function ledger(result: ComplianceResult): LedgerEntry[] {
  const entries = new Map<string, LedgerEntry & { resources: string[] }>();
  const add = (record: AcknowledgmentRecord, status: LedgerEntry['status'], resource?: string, problem?: string) => {
    const key = `${record.ruleId}\u0000${record.scope}\u0000${record.expires}`;
    const entry = entries.get(key) ?? { ...record, status, resources: [], ...(problem ? { problem } : {}) };
    if (resource && !entry.resources.includes(resource)) entry.resources.push(resource);
    entries.set(key, entry);
  };
  const where = (r: { stack?: string; source: string; logicalId: string }) => `${r.stack ?? r.source}/${r.logicalId}`;
  for (const a of result.acknowledged) add(a.record, 'active', where(a.resource));
  for (const f of result.findings) {
    if (f.expiredAcknowledgment) add(f.expiredAcknowledgment, isExpired(f.expiredAcknowledgment, result.evaluatedAt) ? 'expired' : 'active', where(f));
  }
  for (const i of result.invalidAcknowledgments) add(i.record, 'invalid', where(i.resource), i.problem);
  for (const u of result.unusedAcknowledgments) add(u.record, 'unused', where(u.resource));
  return [...entries.values()].sort((a, b) => a.expires.localeCompare(b.expires));
}
