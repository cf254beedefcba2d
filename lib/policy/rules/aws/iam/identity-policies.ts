import { EvaluationContext, Unresolvable } from '../../../context';
import type { RenderedResource } from '../../../document';
import { PolicyStatement, readStatements } from '../../../policy-document';
import { RuleOutcome, unresolvable } from '../../../rule';
import { isWildcardValue } from '../../../policy-document';

/** Resources whose `PolicyDocument` is an identity policy (the *Policy types attach one document each). */
const POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy'];

/** Identities that carry inline policies in `Policies[].PolicyDocument` and managed ones in `ManagedPolicyArns`. */
export const IDENTITY_TYPES = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** Every resource type that holds an identity policy document. */
export const IDENTITY_POLICY_RESOURCE_TYPES = [...POLICY_TYPES, ...IDENTITY_TYPES];

/** One identity policy document of a resource, with its slash path from the resource root. */
export interface IdentityPolicyDocument {
  readonly document: unknown;
  readonly path: string;
}

/**
 * The identity policy documents of a resource: the `PolicyDocument` of a policy resource, or each inline
 * `Policies[].PolicyDocument` of a role, user or group. Throws `Unresolvable` when the `Policies` list itself is an
 * intrinsic (a `Fn::If` may add or drop a policy).
 */
export function* identityPolicyDocuments(resource: RenderedResource, ctx: EvaluationContext): Generator<IdentityPolicyDocument> {
  if (POLICY_TYPES.includes(resource.type)) {
    yield { document: resource.properties.PolicyDocument, path: 'Properties/PolicyDocument' };
    return;
  }
  const policies = ctx.array(resource.properties.Policies, 'Properties/Policies') ?? [];
  for (let i = 0; i < policies.length; i++) {
    yield { document: policies[i]?.PolicyDocument, path: `Properties/Policies/${i}/PolicyDocument` };
  }
}

/**
 * Runs `check` on every Allow statement of every identity policy of the resource and collects what it reports.
 * A document or statement that cannot be read becomes an unresolvable outcome on its own, so one opaque policy
 * neither hides the failures of the others nor lets them pass.
 */
export function checkAllowStatements(
  resource: RenderedResource,
  ctx: EvaluationContext,
  check: (statement: PolicyStatement) => RuleOutcome | undefined,
): RuleOutcome[] {
  const outcomes: RuleOutcome[] = [];
  for (const { document, path } of identityPolicyDocuments(resource, ctx)) {
    let statements: PolicyStatement[];
    try {
      statements = readStatements(document, path, ctx);
    } catch (e) {
      outcomes.push(asUnresolvable(e));
      continue;
    }
    for (const statement of statements) {
      if (statement.effect !== 'Allow') continue;
      try {
        const outcome = check(statement);
        if (outcome) outcomes.push(outcome);
      } catch (e) {
        outcomes.push(asUnresolvable(e));
      }
    }
  }
  return outcomes;
}

/**
 * True when an Allow statement applies to every resource: `Resource: "*"`, or `NotResource` (everything but the
 * listed resources). Throws `Unresolvable` when a resource is an intrinsic that might be `*`.
 */
export function appliesToEveryResource(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.notResources) return true;
  if (statement.resources.includes('*')) return true;
  return statement.resources.some((r) => isWildcardValue(r, `${statement.path}/Resource`, ctx));
}

function asUnresolvable(e: unknown): RuleOutcome {
  if (e instanceof Unresolvable) return unresolvable(e.path, e.message);
  throw e;
}
