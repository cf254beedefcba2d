import { deepEqual, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import type { IamWidening, PolicyStatement, Wildcard } from './assembly-diff';
import { resourceRef } from './resource-ref';
import type { StackComparison } from './stack-comparison';

type Statement = TemplateDiff['iamChanges']['statements']['additions'][number];

/**
 * The permissions a stack's new version grants that its old one did not, per resource holding the policy (identity
 * policies, roles' inline and managed policies, bucket, key, repository and other resource policies): Allow
 * statements added, Deny statements removed, managed policies attached. An added statement that allows no more
 * than one removed from the same resource (a rewrite, a narrowing) is left out.
 */
export function iamWidenings(comparison: StackComparison): IamWidening[] {
  const widenings: IamWidening[] = [];
  for (const [logicalId, diff] of comparison.byResource) {
    const where = resourceRef(comparison.new?.document.byLogicalId.has(logicalId) ? comparison.new : comparison.old!, logicalId);
    const { additions, removals } = diff.iamChanges.statements;
    for (const added of additions) {
      if (isDeny(added) || removals.some((removed) => allowsNoMoreThan(added, removed))) continue;
      widenings.push({ ...where, change: 'statement-added', statement: summarize(added), wildcards: wildcardsOf(added) });
    }
    for (const removed of removals) {
      if (isDeny(removed)) widenings.push({ ...where, change: 'deny-removed', statement: summarize(removed) });
    }
    for (const attached of diff.iamChanges.managedPolicies.additions) {
      widenings.push({ ...where, change: 'managed-policy-attached', identity: attached.identityArn, managedPolicyArn: attached.managedPolicyArn });
    }
  }
  return widenings;
}

/**
 * By effect only: cloudformation-diff calls an Allow with `NotAction` "negative", but allowing everything but some
 * actions is as wide as a grant gets. A statement built by an intrinsic (effect unknown) counts as an Allow.
 */
function isDeny(statement: Statement): boolean {
  return statement.effect === 'Deny';
}

/** Same effect, principals and condition, and a subset of the actions and resources, all listed positively. */
function allowsNoMoreThan(added: Statement, removed: Statement): boolean {
  const positive = (s: Statement) => s.effect === 'Allow' && !s.actions.not && !s.resources.not && !s.principals.not;
  const subset = (a: readonly string[], b: readonly string[]) => a.every((v) => b.includes(v));
  return positive(added) && positive(removed)
    && subset(added.principals.values, removed.principals.values) && subset(removed.principals.values, added.principals.values)
    && deepEqual(added.condition, removed.condition)
    && subset(added.actions.values, removed.actions.values)
    && subset(added.resources.values, removed.resources.values);
}

function summarize(statement: Statement): PolicyStatement {
  if (statement.effect === 'Unknown') {
    return { effect: 'Unknown', actions: [], resources: [], principals: statement.principals.values, negated: [], unparsed: statement.render().resource };
  }
  const negated = (['actions', 'resources', 'principals'] as const).filter((k) => statement[k].not);
  return {
    ...(statement.sid ? { sid: statement.sid } : {}),
    effect: statement.effect,
    actions: statement.actions.values,
    resources: statement.resources.values,
    principals: statement.principals.values,
    negated,
    ...(statement.condition !== undefined ? { condition: statement.condition } : {}),
  };
}

/** What an Allow statement opens to everything. `NotAction` (everything but) counts as a wildcard. */
function wildcardsOf(statement: Statement): Wildcard[] {
  const wildcards: Wildcard[] = [];
  if (statement.actions.not || statement.actions.values.some((a) => a.includes('*'))) wildcards.push('action');
  if (statement.resources.not || statement.resources.values.some(isEveryResource)) wildcards.push('resource');
  if (statement.principals.not || statement.principals.values.some((p) => p === '*' || p === 'AWS:*')) wildcards.push('principal');
  return wildcards;
}

/** `*`, or an ARN whose resource part is `*` (`arn:aws:s3:::*`); `bucket/*` (the objects of one bucket) is not. */
function isEveryResource(resource: string): boolean {
  return resource === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}
