import { ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { Replacement, ReplacementCause } from './assembly-diff';
import { resourceRef } from './resource-ref';
import type { StackComparison } from './stack-comparison';
import { STATEFUL_RESOURCE_TYPES } from './stateful-types';

const REPLACING = new Set<string>([ResourceImpact.WILL_REPLACE, ResourceImpact.MAY_REPLACE]);

/**
 * Resources of a stack that CloudFormation would replace, with the properties that cause it: those whose change
 * replaces the resource (per CloudFormation's resource specification), including references to a replaced resource.
 */
export function replacements(comparison: StackComparison): Replacement[] {
  const found: Replacement[] = [];
  comparison.diff.resources.forEachDifference((logicalId, change) => {
    if (change.isAddition || change.isRemoval || !REPLACING.has(change.changeImpact)) return;
    const causes: ReplacementCause[] = change.resourceTypeChanged
      ? [{ property: 'Type' }]
      : Object.entries(change.propertyUpdates).filter(([, update]) => REPLACING.has(update.changeImpact ?? '')).map(([property, update]) => {
        const reference = replacedReferenceIn(update.newValue);
        return reference ? { property, replacedReference: reference } : { property };
      });
    const where = resourceRef(comparison.new!, logicalId);
    found.push({
      ...where,
      impact: change.changeImpact === ResourceImpact.WILL_REPLACE ? 'will-replace' : 'may-replace',
      causes,
      stateful: STATEFUL_RESOURCE_TYPES.has(where.type) || STATEFUL_RESOURCE_TYPES.has(change.oldResourceType ?? ''),
    });
  });
  return found;
}

/**
 * cloudformation-diff finds the resources that a replacement forces to be replaced too by rewriting references to
 * the replaced resource (`{"Ref": "Id (replaced)"}`, `{"Fn::GetAtt": ["Id(replaced)", ...]}`) in a copy of the
 * template: such a marker in the new value names the replaced resource the property refers to.
 */
function replacedReferenceIn(value: unknown): string | undefined {
  return /"([^"]+?) ?\(replaced\)"/.exec(JSON.stringify(value) ?? '')?.[1];
}
