import type { AcknowledgmentRecord } from '../acknowledgment-records';
import type { EvaluationStatus } from '../engine';
import type { ComplianceReport } from './json-report';

type Resource = ComplianceReport['resources'][number];

/** A resource a rule did not pass: its worst verdict, every property path and message, the acknowledgment it met. */
export interface ResourceProblem {
  readonly resource: Resource;
  status: Exclude<EvaluationStatus, 'pass'>;
  readonly paths: string[];
  readonly messages: string[];
  acknowledgment?: AcknowledgmentRecord;
}

/** One rule's verdicts, one per resource it applies to (its worst there), as the control coverage counts them. */
export interface RuleEvidence {
  readonly counts: Record<EvaluationStatus, number>;
  /** The resources it failed, could not evaluate or found acknowledged, in report order. */
  readonly problems: ResourceProblem[];
  /** The resources it passed, in report order. */
  readonly passing: Resource[];
}

/** How bad a verdict is: a rule's verdict on a resource is its worst. */
export const VERDICT_RANK: Readonly<Record<EvaluationStatus, number>> = { pass: 0, acknowledged: 1, 'could-not-evaluate': 2, fail: 3 };
const computed = new WeakMap<ComplianceReport, ReadonlyMap<string, RuleEvidence>>();

/**
 * The evidence of every rule of the report, by rule id. Computed once per report: the HTML and OSCAL reports of a synth
 * both read it, and on thousands of resources the pass over every verdict is the costly part of rendering.
 */
export function ruleEvidence(report: ComplianceReport): ReadonlyMap<string, RuleEvidence> {
  let evidence = computed.get(report);
  if (!evidence) computed.set(report, evidence = collect(report));
  return evidence;
}

function collect(report: ComplianceReport): Map<string, RuleEvidence> {
  const byRule = new Map<string, RuleEvidence>(report.rules.map((r) => [r.id, emptyEvidence()]));
  for (const resource of report.resources) {
    const worst = new Map<string, EvaluationStatus>();
    let problems: Map<string, ResourceProblem> | undefined;
    for (const e of resource.results) {
      const previous = worst.get(e.ruleId);
      if (!previous || VERDICT_RANK[e.status] > VERDICT_RANK[previous]) worst.set(e.ruleId, e.status);
      if (e.status === 'pass') continue;
      problems ??= new Map();
      let p = problems.get(e.ruleId);
      if (!p) problems.set(e.ruleId, p = { resource, status: e.status, paths: [], messages: [] });
      if (VERDICT_RANK[e.status] > VERDICT_RANK[p.status]) p.status = e.status;
      if (e.path !== undefined && !p.paths.includes(e.path)) p.paths.push(e.path);
      if (e.message && !p.messages.includes(e.message)) p.messages.push(e.message);
      p.acknowledgment ??= e.acknowledgment;
    }
    for (const [ruleId, status] of worst) {
      let rule = byRule.get(ruleId);
      if (!rule) byRule.set(ruleId, rule = emptyEvidence());
      rule.counts[status]++;
      if (status === 'pass') rule.passing.push(resource);
      else rule.problems.push(problems!.get(ruleId)!);
    }
  }
  return byRule;
}

function emptyEvidence(): RuleEvidence {
  return { counts: { pass: 0, fail: 0, 'could-not-evaluate': 0, acknowledged: 0 }, problems: [], passing: [] };
}
