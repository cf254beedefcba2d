import type { EvaluationContext } from './context';
import type { RenderedResource } from './document';

/** How bad a violation is, before a pack overrides it. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

/**
 * The crosswalk themes of `reference/controls.md` §2. A pack maps each theme to its framework's control
 * ids, so a rule names what it protects once and every framework cites it correctly.
 */
export type Theme =
  | 'ENC' | 'KEY' | 'TRN' | 'NET' | 'IAM' | 'SOD' | 'LOG' | 'LOGI' | 'RET' | 'MON' | 'CHG' | 'VUL' | 'SUP' | 'INV'
  | 'RES' | 'DATA' | 'RISK' | 'OVERSIGHT' | 'PSS';

/** What a rule concluded about one resource. */
export type RuleOutcome =
  | { readonly status: 'pass'; readonly note?: string }
  | { readonly status: 'not-applicable'; readonly reason: string }
  | { readonly status: 'fail'; readonly path: string; readonly message: string }
  | { readonly status: 'unresolvable'; readonly path: string; readonly message: string };

/** `pass()`, `fail(...)`, ... return these; a rule may return several for one resource (one per statement). */
export type RuleResult = RuleOutcome | readonly RuleOutcome[];

/** Compliant. `note` explains a pass a reviewer might question (e.g. why no KMS key on an NVMe instance type). */
export const pass = (note?: string): RuleOutcome => (note ? { status: 'pass', note } : { status: 'pass' });
export const notApplicable = (reason: string): RuleOutcome => ({ status: 'not-applicable', reason });
/** A violation at `path` (`Properties/BucketEncryption`, `spec/template/spec/containers/0`). */
export const fail = (path: string, message: string): RuleOutcome => ({ status: 'fail', path, message });
/** The answer depends on a value that cannot be known at synth. Counts as a violation (fail closed). */
export const unresolvable = (path: string, message: string): RuleOutcome => ({ status: 'unresolvable', path, message });

/**
 * A worked example that documents the rule and is run by the catalog test: a resource (and the other
 * resources the rule must see), and what the rule must conclude about it.
 */
export interface RuleScenario {
  readonly name: string;
  readonly expect: 'pass' | 'fail' | 'not-applicable' | 'unresolvable';
  /** The resource under test: CloudFormation `{Type, Properties}` or a Kubernetes object. */
  readonly resource: Record<string, any>;
  /** Other resources of the same template (logical id → resource) or other Kubernetes objects. */
  readonly others?: Record<string, any> | readonly Record<string, any>[];
  /** The synth date the scenario assumes, `YYYY-MM-DD`. @default '2026-11-26' */
  readonly now?: string;
}

/** Everything a reader of a finding needs besides the verdict. */
export interface RuleMetadata {
  /** Stable id: `MLOPS-<AREA>-<NNN>` (`MLOPS-S3-001`). Never reused, never renamed. */
  readonly id: string;
  readonly title: string;
  /** The resource types the rule reads (dispatch key). */
  readonly resourceTypes: readonly string[];
  readonly severity: Severity;
  /** Why the control matters, for the security reviewer. */
  readonly rationale: string;
  /** What to change, for the platform engineer. */
  readonly fix: string;
  /** Config rules, Control Tower controls, documentation pages. */
  readonly references: readonly string[];
  /** Whether an acknowledgment may waive it (no for encryption at rest and the audit trail). */
  readonly acknowledgeable: boolean;
  /** The crosswalk themes this rule gives evidence for. */
  readonly themes: readonly Theme[];
}

/** A rule: metadata, scenarios, and a pure function of the rendered resource. */
export interface Rule extends RuleMetadata {
  readonly scenarios: readonly RuleScenario[];
  evaluate(resource: RenderedResource, context: EvaluationContext): RuleResult;
}

/** Declares a rule; checks the id format at load so a malformed catalog fails fast. */
export function defineRule(rule: Rule): Rule {
  if (!/^MLOPS-[A-Z0-9]+-\d{3}$/.test(rule.id)) {
    throw new Error(`Rule id '${rule.id}' must look like MLOPS-<AREA>-<NNN>, e.g. MLOPS-S3-001`);
  }
  return Object.freeze(rule);
}
