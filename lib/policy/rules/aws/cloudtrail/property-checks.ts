import { Unresolvable } from '../../../context';
import { pass, RuleOutcome, unresolvable } from '../../../rule';

/** One property check of a resource: a failure, or undefined when the property complies. */
export type PropertyCheck = () => RuleOutcome | undefined;

/**
 * Runs each check on its own, so a value that cannot be resolved on one property does not hide a definite
 * failure on another: the reviewer sees every problem of the resource in one synth. Passes only when all comply.
 */
export function checkEach(checks: readonly PropertyCheck[]): RuleOutcome[] {
  const outcomes: RuleOutcome[] = [];
  for (const check of checks) {
    try {
      const outcome = check();
      if (outcome) outcomes.push(outcome);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      outcomes.push(unresolvable(e.path, e.message));
    }
  }
  return outcomes.length > 0 ? outcomes : [pass()];
}
