import { ResourceImpact } from '@aws-cdk/cloudformation-diff';
import type { Removal } from './assembly-diff';
import { resourceRef } from './resource-ref';
import type { StackComparison } from './stack-comparison';
import { STATEFUL_RESOURCE_TYPES } from './stateful-types';

/** Resources a stack's new version no longer has: deleted on deployment, or left in place when retained. */
export function removals(comparison: StackComparison): Removal[] {
  const found: Removal[] = [];
  comparison.diff.resources.forEachDifference((logicalId, change) => {
    if (!change.isRemoval) return;
    const where = resourceRef(comparison.old!, logicalId);
    found.push({ ...where, retained: change.changeImpact === ResourceImpact.WILL_ORPHAN, stateful: STATEFUL_RESOURCE_TYPES.has(where.type) });
  });
  return found;
}
