import type { LoadedStack } from './loaded-assembly';

/** The stacks of two assemblies, matched. */
export interface StackPairs {
  readonly paired: readonly { readonly old: LoadedStack; readonly new: LoadedStack }[];
  readonly added: readonly LoadedStack[];
  readonly removed: readonly LoadedStack[];
}

/**
 * Pairs stacks by artifact id (unique across the nested stages of a synth), then the rest by CloudFormation stack
 * name: a stack whose construct moved but whose name stayed is the same deployed stack, updated in place.
 */
export function pairStacks(oldStacks: readonly LoadedStack[], newStacks: readonly LoadedStack[]): StackPairs {
  const paired: { old: LoadedStack; new: LoadedStack }[] = [];
  const unmatchedOld = new Set(oldStacks);
  const added: LoadedStack[] = [];
  const pending: LoadedStack[] = [];
  for (const stack of newStacks) {
    const old = oldStacks.find((o) => unmatchedOld.has(o) && o.artifactId === stack.artifactId);
    if (old) {
      unmatchedOld.delete(old);
      paired.push({ old, new: stack });
    } else {
      pending.push(stack);
    }
  }
  for (const stack of pending) {
    const old = oldStacks.find((o) => unmatchedOld.has(o) && o.stackName === stack.stackName);
    if (old) {
      unmatchedOld.delete(old);
      paired.push({ old, new: stack });
    } else {
      added.push(stack);
    }
  }
  return { paired, added, removed: oldStacks.filter((s) => unmatchedOld.has(s)) };
}
