import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedResource } from '../../../document';
import { conditionValues, isWildcardPrincipal, PolicyStatement, readStatements, statementCovers } from '../../../policy-document';
import { fail, pass, RuleOutcome, unresolvable } from '../../../rule';

/**
 * Resource policies that attach to other resources through a list property (`AWS::SNS::TopicPolicy.Topics`,
 * `AWS::SQS::QueuePolicy.Queues`), by the logical id of each target they reference.
 */
export interface AttachedPolicies {
  readonly byTarget: ReadonlyMap<string, readonly RenderedResource[]>;
  /** Target entries that are neither a reference to a resource of the template nor a literal: they may name any target. */
  readonly unreadable: readonly { readonly policy: RenderedResource; readonly path: string }[];
}

/** Builds `AttachedPolicies` for one policy type; meant for a `DocumentIndex` so it runs once per document. */
export function attachedPolicies(ctx: EvaluationContext, policyType: string, targetsProperty: string): AttachedPolicies {
  const byTarget = new Map<string, RenderedResource[]>();
  const unreadable: { policy: RenderedResource; path: string }[] = [];
  for (const policy of ctx.resourcesOfType(policyType)) {
    const path = `Properties/${targetsProperty}`;
    let targets: unknown[];
    try {
      targets = ctx.array(policy.properties[targetsProperty], path) ?? [];
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      unreadable.push({ policy, path });
      continue;
    }
    targets.forEach((target, i) => {
      const ref = ctx.reference(target);
      if (ref) byTarget.set(ref.logicalId, [...(byTarget.get(ref.logicalId) ?? []), policy]);
      // A literal ARN or URL names a target outside the template (or one the rule cannot tie to a logical id).
      else if (typeof target !== 'string') unreadable.push({ policy, path: `${path}/${i}` });
    });
  }
  return { byTarget, unreadable };
}

/** What a TLS-only rule looks for, and the words of its messages. */
export interface SecureTransportCheck {
  /** `AWS::SNS::TopicPolicy` */
  readonly policyType: string;
  /** The action the Deny must cover (`sns:Publish`, `sqs:*`). */
  readonly action: string;
  /** `topic`, `queue` */
  readonly noun: string;
}

/**
 * Passes when a policy attached to `subject` denies everyone `check.action` when `aws:SecureTransport` is false.
 * Fails when none does; unresolvable when an attached policy, or a policy whose targets cannot be read, might.
 */
export function secureTransportVerdict(subject: RenderedResource, attached: AttachedPolicies, check: SecureTransportCheck, ctx: EvaluationContext): RuleOutcome {
  const policies = attached.byTarget.get(subject.logicalId) ?? [];
  const unknown: string[] = attached.unreadable.map((u) => `${u.path} of ${u.policy.logicalId}`);
  for (const policy of policies) {
    let statements: PolicyStatement[];
    try {
      statements = readStatements(policy.properties.PolicyDocument, 'Properties/PolicyDocument', ctx);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      unknown.push(`${e.path} of ${policy.logicalId}`);
      continue;
    }
    if (statements.some((s) => deniesInsecureTransport(s, check.action, subject.logicalId, ctx))) return pass();
  }
  const wanted = `a Deny of ${check.action} on this ${check.noun} for Principal * conditioned only on aws:SecureTransport false`;
  if (unknown.length > 0) {
    return unresolvable('Properties', `no readable ${check.policyType} has ${wanted}, and ${unknown.join(', ')} cannot be read at synth`);
  }
  if (policies.length === 0) return fail('Properties', `no ${check.policyType} names this ${check.noun}, so nothing has ${wanted}`);
  return fail('Properties', `the ${check.policyType} ${policies.map((p) => p.logicalId).join(', ')} has no statement with ${wanted}`);
}

/**
 * True when the statement denies everyone `action` on the subject over plain HTTP, and only that condition limits it:
 * Effect Deny, Principal *, Resource * or a reference to the subject, Condition `Bool: {aws:SecureTransport: false}`.
 */
function deniesInsecureTransport(statement: PolicyStatement, action: string, subjectLogicalId: string, ctx: EvaluationContext): boolean {
  if (statement.effect !== 'Deny' || !isWildcardPrincipal(statement.principal) || !statementCovers(statement, action)) return false;
  const onSubject = statement.resources.some((r) => r === '*' || ctx.reference(r)?.logicalId === subjectLogicalId);
  const keyCount = Object.values(statement.condition).reduce((n, body) => n + (isPlainObject(body) ? Object.keys(body).length : 1), 0);
  const values = conditionValues(statement, /^Bool(IfExists)?$/, 'aws:SecureTransport');
  return onSubject && keyCount === 1 && values.length > 0 && values.every((v) => v === false || v === 'false');
}
