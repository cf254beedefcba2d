import type { EvaluationContext } from '../../context';
import { fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, PodTemplate } from './pod-spec';

/** A failure per container that sets procMount to anything but Default (the baseline and restricted checks share it). */
export function procMountFailures(ctx: EvaluationContext, pod: PodTemplate): RuleOutcome[] {
  const failures: RuleOutcome[] = [];
  for (const c of containersOf(ctx, pod)) {
    const procMount = lookup(ctx, c.container, c.path, ['securityContext', 'procMount']);
    const value = ctx.string(procMount.value, procMount.path);
    if (value !== undefined && value !== 'Default') failures.push(fail(procMount.path, `${describeContainer(c)} sets procMount ${value}: /proc is not masked`));
  }
  return failures;
}
