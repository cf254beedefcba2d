import { fullDiff, TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { withoutAssetHashes } from './asset-hashes';
import type { LoadedStack } from './loaded-assembly';

/** Two versions of a stack (one absent for an added or removed stack), compared by cloudformation-diff. */
export interface StackComparison {
  readonly old?: LoadedStack;
  readonly new?: LoadedStack;
  /** The whole-template diff: replacements propagate to the resources that reference a replaced one. */
  readonly diff: TemplateDiff;
  /**
   * One diff per changed resource, of that resource alone: cloudformation-diff's IAM and security-group changes do
   * not say which resource holds them, these do.
   */
  readonly byResource: ReadonlyMap<string, TemplateDiff>;
}

const EMPTY = { Resources: {} };

/** Compares two versions of a stack with asset hashes left out (an asset's content is not a security change). */
export function compareStacks(old: LoadedStack | undefined, next: LoadedStack | undefined, assetHashes: ReadonlySet<string>): StackComparison {
  const before = old ? withoutAssetHashes(old.template, assetHashes) : EMPTY;
  const after = next ? withoutAssetHashes(next.template, assetHashes) : EMPTY;
  const diff = fullDiff(before, after);
  const byResource = new Map<string, TemplateDiff>();
  for (const logicalId of diff.resources.logicalIds) {
    const one = (template: Record<string, any>) => {
      const resource = template.Resources?.[logicalId];
      return resource ? { Resources: { [logicalId]: resource } } : EMPTY;
    };
    byResource.set(logicalId, fullDiff(one(before), one(after)));
  }
  return { ...(old ? { old } : {}), ...(next ? { new: next } : {}), diff, byResource };
}
