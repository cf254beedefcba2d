import type { ComplianceResult, ResourceResult } from '../policy/engine';
import type { Theme } from '../policy/rule';
import type { Concern, RuleRegression } from './assembly-diff';
import type { LoadedStack } from './loaded-assembly';

/** The rule themes (lib/policy/rule.ts) whose loss a reviewer must see, and what each protects. */
const CONCERNS: Readonly<Partial<Record<Theme, Concern>>> = {
  ENC: 'encryption', // at rest
  TRN: 'encryption', // in transit
  KEY: 'encryption', // the customer-managed keys behind it
  LOG: 'logging',
  LOGI: 'logging', // log integrity
  NET: 'public-exposure',
};

/**
 * Rules of the encryption, logging and network themes that a resource of the new assembly fails, could not be
 * evaluated on, or has acknowledged, where the old assembly's version of the resource passed (or the rule did not
 * apply, or the resource is new). A verdict that was already failing or acknowledged is not a change.
 *
 * @param pairedOld the old stack each new stack is paired with, by the new stack's template source (added stacks have none)
 */
export function controlRegressions(
  oldResult: ComplianceResult,
  newResult: ComplianceResult,
  pairedOld: ReadonlyMap<string, LoadedStack>,
): RuleRegression[] {
  const oldResources = new Map(oldResult.resources.map((r) => [`${r.source}\u0000${r.logicalId}`, r]));
  const regressions: RuleRegression[] = [];
  for (const resource of newResult.resources) {
    const pairedStack = pairedOld.get(resource.source);
    const previous = pairedStack && oldResources.get(`${pairedStack.document.source}\u0000${resource.logicalId}`);
    const before = previous?.type === resource.type ? previous : undefined;
    for (const evaluation of resource.evaluations) {
      if (evaluation.status === 'pass') continue;
      const rule = newResult.rules.get(evaluation.ruleId)!.rule;
      const concerns = [...new Set(rule.themes.map((t) => CONCERNS[t]).filter((c): c is Concern => c !== undefined))];
      if (concerns.length === 0) continue;
      const verdictBefore = verdictOf(before, rule.id);
      if (verdictBefore === 'violated') continue;
      regressions.push({
        kind: 'rule',
        stack: resource.stack ?? resource.source,
        logicalId: resource.logicalId,
        type: resource.type,
        ...(resource.constructPath ? { constructPath: resource.constructPath } : {}),
        concerns,
        ruleId: rule.id,
        title: rule.title,
        property: evaluation.path ?? '',
        message: evaluation.message ?? '',
        status: evaluation.status,
        before: verdictBefore,
        ...(evaluation.status === 'acknowledged' && evaluation.acknowledgment ? { acknowledgment: evaluation.acknowledgment } : {}),
      });
    }
  }
  return regressions;
}

function verdictOf(resource: ResourceResult | undefined, ruleId: string): RuleRegression['before'] | 'violated' {
  if (!resource) return 'absent';
  const evaluations = resource.evaluations.filter((e) => e.ruleId === ruleId);
  if (evaluations.length === 0) return 'not-applicable';
  return evaluations.every((e) => e.status === 'pass') ? 'pass' : 'violated';
}
