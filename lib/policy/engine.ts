import { acknowledgmentProblems, acknowledgmentsOf, AcknowledgmentRecord, isExpired } from './acknowledgment-records';
import { EvaluationContext, EvaluationScope, Unresolvable } from './context';
import type { RenderedDocument, RenderedResource } from './document';
import { controlsFor, maxSeverity, Pack, ResolvedMapping } from './pack';
import { Rule, RuleOutcome, RuleResult, Severity, unresolvable } from './rule';

/** The verdict of one rule on one resource, as the report lists it. */
export type EvaluationStatus = 'pass' | 'fail' | 'could-not-evaluate' | 'acknowledged';

/** One rule's verdict on one resource (not-applicable verdicts are counted, not listed). */
export interface Evaluation {
  readonly ruleId: string;
  readonly status: EvaluationStatus;
  /** For fail / could-not-evaluate / acknowledged: where and what. */
  readonly path?: string;
  readonly message?: string;
  /** For acknowledged verdicts, and for failures whose acknowledgment expired. */
  readonly acknowledgment?: AcknowledgmentRecord;
}

/** Every verdict on one resource. */
export interface ResourceResult {
  readonly source: string;
  readonly stack?: string;
  readonly logicalId: string;
  readonly type: string;
  readonly constructPath?: string;
  /** For a Kubernetes object a template applies: the logical id of the custom resource that applies it. */
  readonly appliedByLogicalId?: string;
  readonly evaluations: readonly Evaluation[];
}

/** A violation that stops the synth. */
export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly status: 'fail' | 'could-not-evaluate';
  /** The highest severity any selected pack gives the rule. */
  readonly severity: Severity;
  readonly acknowledgeable: boolean;
  readonly fix: string;
  readonly mappings: readonly ResolvedMapping[];
  readonly source: string;
  readonly stack?: string;
  readonly logicalId: string;
  readonly type: string;
  readonly constructPath?: string;
  /** For a Kubernetes object a template applies: the logical id of the custom resource that applies it. */
  readonly appliedByLogicalId?: string;
  /** Property path inside the resource (`Properties/BucketEncryption`). */
  readonly path: string;
  readonly message: string;
  /** Set when an acknowledgment covered this finding but has expired. */
  readonly expiredAcknowledgment?: AcknowledgmentRecord;
}

/** The result of evaluating documents against packs. */
export interface ComplianceResult {
  readonly evaluatedAt: Date;
  readonly packs: readonly Pack[];
  /** The rules that ran, with their resolved pack mappings. */
  readonly rules: ReadonlyMap<string, { readonly rule: Rule; readonly mappings: readonly ResolvedMapping[] }>;
  readonly resources: readonly ResourceResult[];
  readonly findings: readonly Finding[];
  /** Acknowledgments that held, with the resources they covered. */
  readonly acknowledged: readonly { readonly record: AcknowledgmentRecord; readonly resource: ResourceResult; readonly ruleId: string }[];
  /** Acknowledgments that could not be honoured (refused rule, missing fields), from hand-written metadata. */
  readonly invalidAcknowledgments: readonly { readonly record: AcknowledgmentRecord; readonly resource: ResourceResult; readonly problem: string }[];
  /** Valid, unexpired acknowledgments that waived nothing (the rule passed): stale exceptions to remove. */
  readonly unusedAcknowledgments: readonly { readonly record: AcknowledgmentRecord; readonly resource: ResourceResult }[];
  readonly notApplicableCount: number;
}

/** Options for a policy engine. */
export interface PolicyEngineOptions {
  /** The whole rule catalog the packs may refer to. */
  readonly catalog: readonly Rule[];
  /** The packs to enforce; the engine runs the union of their rules. */
  readonly packs: readonly Pack[];
}

/**
 * Runs the rules of the selected packs over rendered documents. Rules are dispatched by resource type
 * (one pass over the resources, only the rules for each type); indexes are built once per document.
 */
export class PolicyEngine {
  public readonly packs: readonly Pack[];
  public readonly rules: ComplianceResult['rules'];
  private readonly dispatch = new Map<string, Rule[]>();
  /** The selected rules that read Kubernetes objects: what an unreadable manifest leaves unevaluated. */
  private readonly kubernetesRules: Rule[];

  constructor(options: PolicyEngineOptions) {
    const byId = new Map(options.catalog.map((r) => [r.id, r]));
    const selected = new Map<string, { rule: Rule; mappings: ResolvedMapping[] }>();
    const unknown: string[] = [];
    for (const pack of options.packs) {
      for (const entry of pack.rules) {
        const rule = byId.get(entry.ruleId);
        if (!rule) {
          unknown.push(`${pack.id}:${entry.ruleId}`);
          continue;
        }
        const slot = selected.get(rule.id) ?? { rule, mappings: [] };
        slot.mappings.push({
          packId: pack.id,
          framework: pack.framework,
          controlPrefix: pack.controlPrefix,
          controls: controlsFor(pack, entry, rule.themes),
          severity: entry.severity ?? rule.severity,
        });
        selected.set(rule.id, slot);
      }
    }
    if (unknown.length > 0) throw new Error(`Packs refer to rules that do not exist: ${unknown.join(', ')}`);
    this.packs = options.packs;
    this.rules = selected;
    for (const { rule } of selected.values()) {
      for (const type of rule.resourceTypes) {
        const list = this.dispatch.get(type);
        if (list) list.push(rule);
        else this.dispatch.set(type, [rule]);
      }
    }
    // CloudFormation types are `Vendor::Service::Resource`; Kubernetes types are `apiVersion/Kind`.
    this.kubernetesRules = [...selected.values()].map((s) => s.rule).filter((rule) => rule.resourceTypes.some((t) => !t.includes('::')));
  }

  /** Evaluates documents on the given date (rules about support windows and expiry read it). */
  public evaluate(documents: readonly RenderedDocument[], now: Date): ComplianceResult {
    const resources: ResourceResult[] = [];
    const findings: Finding[] = [];
    const acknowledged: ComplianceResult['acknowledged'][number][] = [];
    const invalidAcknowledgments: ComplianceResult['invalidAcknowledgments'][number][] = [];
    let notApplicableCount = 0;
    const seen = new Map<string, { record: AcknowledgmentRecord; resource: ResourceResult; rendered: RenderedResource; used: boolean }>();

    // A template's EKS manifests are evaluated with it, as Kubernetes documents of their own.
    const all = documents.flatMap((d) => [d, ...(d.appliedManifests ?? [])]);
    const scope = new EvaluationScope(all);
    for (const document of all) {
      const context = new EvaluationContext(document, now, scope);
      for (const resource of document.resources) {
        const rules = resource.unreadable !== undefined ? this.kubernetesRules : this.dispatch.get(resource.type);
        if (!rules || rules.length === 0) continue;
        const records = resource.appliedBy ? appliedAcknowledgments(resource, resource.appliedBy) : acknowledgmentsOf(resource);
        const evaluations: Evaluation[] = [];
        const result: ResourceResult = {
          source: document.source, stack: document.stack, logicalId: resource.logicalId, type: resource.type,
          constructPath: resource.constructPath, ...(resource.appliedBy ? { appliedByLogicalId: resource.appliedBy.logicalId } : {}), evaluations,
        };
        const usable = this.usableAcknowledgments(records, result, invalidAcknowledgments);
        for (const record of usable) {
          const key = acknowledgmentKey(record);
          if (!seen.has(key)) seen.set(key, { record, resource: result, rendered: resource, used: false });
        }
        for (const rule of rules) {
          const outcomes = resource.unreadable !== undefined
            ? [unresolvable('Properties/Manifest', `could not evaluate: ${resource.unreadable}`)]
            : runRule(rule, resource, context);
          const violations = outcomes.filter((o) => o.status === 'fail' || o.status === 'unresolvable');
          if (violations.length === 0) {
            const passed = outcomes.find((o) => o.status === 'pass');
            if (!passed) notApplicableCount++;
            else if (passed.note) evaluations.push({ ruleId: rule.id, status: 'pass', message: passed.note });
            else evaluations.push({ ruleId: rule.id, status: 'pass' });
            continue;
          }
          const ack = usable.find((r) => r.ruleId === rule.id);
          if (ack) seen.get(acknowledgmentKey(ack))!.used = true;
          const live = ack && !isExpired(ack, now) ? ack : undefined;
          for (const v of violations as Extract<RuleOutcome, { path: string }>[]) {
            if (live) {
              evaluations.push({ ruleId: rule.id, status: 'acknowledged', path: v.path, message: v.message, acknowledgment: live });
              continue;
            }
            const status = v.status === 'fail' ? 'fail' : 'could-not-evaluate';
            evaluations.push({ ruleId: rule.id, status, path: v.path, message: v.message, acknowledgment: ack });
            findings.push(this.finding(rule, resource, result, status, v.path, v.message, ack));
          }
          if (live) acknowledged.push({ record: live, resource: result, ruleId: rule.id });
        }
        resources.push(result);
      }
    }
    const unusedAcknowledgments: ComplianceResult['unusedAcknowledgments'][number][] = [];
    for (const { record, resource, rendered, used } of seen.values()) {
      if (used) continue;
      const rule = this.rules.get(record.ruleId)?.rule;
      if (isExpired(record, now) && rule) {
        // An expired exception fails the synth even when the rule now passes: the ledger must be cleaned.
        findings.push(this.finding(rule, rendered, resource, 'fail', 'Metadata',
          `the acknowledgment made at ${record.scope} expired on ${record.expires} and no longer waives anything here: remove it`, record));
      } else {
        unusedAcknowledgments.push({ record, resource });
      }
    }
    return {
      evaluatedAt: now, packs: this.packs, rules: this.rules, resources, findings, acknowledged,
      invalidAcknowledgments, unusedAcknowledgments, notApplicableCount,
    };
  }

  private usableAcknowledgments(
    records: AcknowledgmentRecord[], resource: ResourceResult, invalid: ComplianceResult['invalidAcknowledgments'][number][],
  ): AcknowledgmentRecord[] {
    if (records.length === 0) return records;
    return records.filter((record) => {
      const problems = acknowledgmentProblems(record.ruleId, record);
      if (problems.length === 0) return true;
      invalid.push({ record, resource, problem: problems.map((p) => `${p.field}: received ${p.received}; allowed ${p.allowed}`).join('; ') });
      return false;
    });
  }

  private finding(
    rule: Rule, resource: RenderedResource, result: ResourceResult, status: Finding['status'], path: string, message: string,
    expired: AcknowledgmentRecord | undefined,
  ): Finding {
    const mappings = this.rules.get(rule.id)!.mappings;
    return {
      ruleId: rule.id, title: rule.title, status,
      severity: mappings.reduce<Severity>((s, m) => maxSeverity(s, m.severity), 'low'),
      acknowledgeable: rule.acknowledgeable, fix: rule.fix, mappings,
      source: result.source, stack: result.stack, logicalId: resource.logicalId, type: resource.type,
      constructPath: resource.constructPath, ...(result.appliedByLogicalId ? { appliedByLogicalId: result.appliedByLogicalId } : {}), path, message,
      ...(expired ? { expiredAcknowledgment: expired } : {}),
    };
  }
}

function acknowledgmentKey(record: AcknowledgmentRecord): string {
  return `${record.ruleId}\u0000${record.scope}\u0000${record.expires}`;
}

/**
 * The acknowledgments of an object a template applies: the custom resource's (made on a construct above it) and
 * the object's own annotation. One exception recorded in both (same rule and terms, `addNamespace` writes it
 * twice) counts once, under the template's record, or the other would be listed as unused.
 */
function appliedAcknowledgments(object: RenderedResource, appliedBy: RenderedResource): AcknowledgmentRecord[] {
  const terms = (r: AcknowledgmentRecord) => JSON.stringify([r.ruleId, r.reason, r.approvedBy, r.ticket, r.expires]);
  const fromTemplate = acknowledgmentsOf(appliedBy);
  const recorded = new Set(fromTemplate.map(terms));
  return [...fromTemplate, ...acknowledgmentsOf(object).filter((r) => !recorded.has(terms(r)))];
}

/** Runs one rule, fail closed: a throw or an unresolvable value becomes a "could not evaluate" outcome. */
export function runRule(rule: Rule, resource: RenderedResource, context: EvaluationContext): readonly RuleOutcome[] {
  let result: RuleResult;
  try {
    result = rule.evaluate(resource, context);
  } catch (e) {
    if (e instanceof Unresolvable) {
      return [{ status: 'unresolvable', path: e.path, message: `could not evaluate: ${e.message}` }];
    }
    return [{ status: 'unresolvable', path: '', message: `could not evaluate: the rule failed (${(e as Error).message ?? e})` }];
  }
  const outcomes = Array.isArray(result) ? (result as readonly RuleOutcome[]) : [result as RuleOutcome];
  if (outcomes.length === 0) {
    return [{ status: 'unresolvable', path: '', message: 'could not evaluate: the rule returned no verdict' }];
  }
  return outcomes.map((o) =>
    o.status === 'unresolvable' && !o.message.startsWith('could not evaluate') ? { ...o, message: `could not evaluate: ${o.message}` } : o,
  );
}

/** Formats the controls of a finding: `HIPAA 164.312(a)(2)(iv); PCI DSS 4.0.1 3.5.1`. */
export function formatControls(mappings: readonly ResolvedMapping[]): string {
  return mappings
    .filter((m) => m.controls.length > 0)
    .map((m) => `${m.controlPrefix} ${m.controls.join(', ')}`)
    .join('; ');
}
