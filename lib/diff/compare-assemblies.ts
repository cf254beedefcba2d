import { PolicyEngine } from '../policy/engine';
import { ALL_PACKS } from '../policy/packs';
import { TOOL } from '../policy/report/json-report';
import { RULE_CATALOG } from '../policy/rules/catalog';
import { acknowledgmentChanges } from './acknowledgment-changes';
import type { AssemblyDiff, DiffCounts, StackEntry } from './assembly-diff';
import { controlRegressions } from './control-regressions';
import { iamWidenings } from './iam-widenings';
import type { LoadedAssembly, LoadedStack } from './loaded-assembly';
import { openIngress } from './open-ingress';
import { removals } from './removals';
import { replacements } from './replacements';
import { compareStacks } from './stack-comparison';
import { pairStacks } from './stack-pairs';

/** Options of a comparison. */
export interface CompareOptions {
  /** The date rules and acknowledgments are judged on (both assemblies on the same date, so only the templates differ). */
  readonly date: Date;
  /** How far ahead to list expiring acknowledgments, in days. */
  readonly expiringWithinDays: number;
}

/**
 * What a security reviewer must look at between two synths: stacks added and removed, IAM permissions widened,
 * encryption or logging removed and public exposure added, acknowledgments added, removed, changed or expiring,
 * resources replaced or removed. Asset hashes are left out of the templates first, so an asset-only change is not
 * reported. Every rule of every pack judges both assemblies.
 */
export function compareAssemblies(oldAssembly: LoadedAssembly, newAssembly: LoadedAssembly, options: CompareOptions): AssemblyDiff {
  const pairs = pairStacks(oldAssembly.stacks, newAssembly.stacks);
  const assetHashes = new Set([...oldAssembly.assetHashes, ...newAssembly.assetHashes]);
  const updated = pairs.paired.map((p) => compareStacks(p.old, p.new, assetHashes));
  const created = pairs.added.map((stack) => compareStacks(undefined, stack, assetHashes));
  const deleted = pairs.removed.map((stack) => compareStacks(stack, undefined, assetHashes));

  const engine = new PolicyEngine({ catalog: RULE_CATALOG, packs: ALL_PACKS });
  const judge = (assembly: LoadedAssembly) => engine.evaluate(assembly.stacks.map((s) => s.document), options.date);
  const pairedOld = new Map(pairs.paired.map((p) => [p.new.document.source, p.old]));

  const stacks = {
    added: pairs.added.map(stackEntry),
    removed: deleted.map((c) => ({ ...stackEntry(c.old!), stateful: removals(c).filter((r) => r.stateful) })),
  };
  const iam = [...updated, ...created].flatMap(iamWidenings);
  const weakened = [
    ...controlRegressions(judge(oldAssembly), judge(newAssembly), pairedOld),
    ...[...updated, ...created].flatMap(openIngress),
  ];
  const acknowledgments = acknowledgmentChanges(oldAssembly, newAssembly, options.date, options.expiringWithinDays);
  const replaced = updated.flatMap(replacements);
  const removed = updated.flatMap(removals);

  const counts: DiffCounts = {
    stacksAdded: stacks.added.length,
    stacksRemoved: stacks.removed.length,
    iam: iam.length,
    weakened: weakened.length,
    acknowledgmentsAdded: acknowledgments.added.length,
    acknowledgmentsRemoved: acknowledgments.removed.length,
    acknowledgmentsChanged: acknowledgments.changed.length,
    acknowledgmentsExpiring: acknowledgments.expiring.length,
    replacements: replaced.length,
    removals: removed.length,
  };
  return {
    tool: TOOL,
    old: oldAssembly.directory,
    new: newAssembly.directory,
    date: options.date.toISOString().slice(0, 10),
    expiringWithinDays: options.expiringWithinDays,
    needsReview: Object.values(counts).some((n) => n > 0),
    counts,
    stacks,
    iam,
    weakened,
    acknowledgments,
    replacements: replaced,
    removals: removed,
  };
}

function stackEntry(stack: LoadedStack): StackEntry {
  return { stack: stack.stack, artifactId: stack.artifactId, stackName: stack.stackName, resources: stack.document.resources.length };
}
