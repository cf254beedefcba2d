import { pass, RuleOutcome, RuleResult } from '../../rule';

/** The Pod Security Standards page every PSS rule cites. */
export const PSS_DOCUMENTATION = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** The references of a rule that implements one pod-security-admission check. */
export function pssReferences(checkId: string, ...more: string[]): string[] {
  return [`pod-security-admission check: ${checkId}`, 'kubernetes/pod-security-admission policy/check_*.go', PSS_DOCUMENTATION, ...more];
}

/** The outcomes of a check that reports each offending container or field: a pass when there are none. */
export function passUnless(failures: readonly RuleOutcome[], note?: string): RuleResult {
  return failures.length > 0 ? failures : pass(note);
}
