import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EvaluationContext } from '../../lib/policy/context';
import { kubernetesDocument, RenderedDocument, templateDocument } from '../../lib/policy/document';
import { runRule } from '../../lib/policy/engine';
import type { Rule, RuleOutcome, RuleScenario } from '../../lib/policy/rule';

/** The synth date fixtures assume unless they say otherwise. */
export const FIXTURE_DATE = '2026-11-26';

export type Verdict = 'pass' | 'fail' | 'not-applicable' | 'unresolvable';

/** Folds a rule's outcomes on one resource into one verdict: any failure wins, then unresolvable, then pass. */
export function verdictOf(outcomes: readonly RuleOutcome[]): Verdict {
  if (outcomes.some((o) => o.status === 'fail')) return 'fail';
  if (outcomes.some((o) => o.status === 'unresolvable')) return 'unresolvable';
  if (outcomes.some((o) => o.status === 'pass')) return 'pass';
  return 'not-applicable';
}

/** The id the subject resource gets in a scenario's template. */
export const SUBJECT = 'Subject';

/** Builds the document a scenario describes: the subject plus its neighbours. */
export function scenarioDocument(scenario: Pick<RuleScenario, 'resource' | 'others'>): RenderedDocument {
  if (typeof scenario.resource.apiVersion === 'string') {
    const others = Array.isArray(scenario.others) ? scenario.others : [];
    return kubernetesDocument([scenario.resource, ...others], 'scenario.yaml');
  }
  const others = scenario.others && !Array.isArray(scenario.others) ? scenario.others : {};
  return templateDocument({ Resources: { [SUBJECT]: scenario.resource, ...others } }, { source: 'scenario.template.json' });
}

/** Runs a rule on the first resource of a document and returns its outcomes. */
export function evaluateScenario(rule: Rule, scenario: RuleScenario): readonly RuleOutcome[] {
  const document = scenarioDocument(scenario);
  const subject = document.resources[0];
  return runRule(rule, subject, new EvaluationContext(document, new Date(scenario.now ?? FIXTURE_DATE)));
}

/** One `it` per scenario of the rule, asserting the verdict it documents. */
export function itBehavesAsItsScenariosSay(rule: Rule): void {
  describe.each(rule.scenarios.map((s) => [s.name, s] as const))('scenario: %s', (_name, scenario) => {
    it(`is ${scenario.expect}`, () => {
      const outcomes = evaluateScenario(rule, scenario);
      expect({ verdict: verdictOf(outcomes), outcomes }).toMatchObject({ verdict: scenario.expect });
    });
  });
}

/** Verdicts of a rule on every resource of its types in a synthesized stack, by logical id. */
export function verdictsOnStack(rule: Rule, stack: Stack, now = FIXTURE_DATE): Record<string, Verdict> {
  const document = templateDocument(Template.fromStack(stack).toJSON(), { source: stack.stackName });
  return verdictsOnDocument(rule, document, now);
}

/** Verdicts of a rule on every resource of its types in a document, by logical id. */
export function verdictsOnDocument(rule: Rule, document: RenderedDocument, now = FIXTURE_DATE): Record<string, Verdict> {
  const context = new EvaluationContext(document, new Date(now));
  const verdicts: Record<string, Verdict> = {};
  for (const resource of document.resources) {
    if (rule.resourceTypes.includes(resource.type)) verdicts[resource.logicalId] = verdictOf(runRule(rule, resource, context));
  }
  return verdicts;
}

/** The outcomes of a rule on one resource of a stack (to assert paths and messages). */
export function outcomesOnStack(rule: Rule, stack: Stack, logicalIdPrefix: string, now = FIXTURE_DATE): readonly RuleOutcome[] {
  const document = templateDocument(Template.fromStack(stack).toJSON(), { source: stack.stackName });
  const resource = document.resources.find((r) => r.logicalId.startsWith(logicalIdPrefix) && rule.resourceTypes.includes(r.type));
  if (!resource) throw new Error(`no ${rule.resourceTypes.join('/')} with logical id ${logicalIdPrefix}* in ${stack.stackName}`);
  return runRule(rule, resource, new EvaluationContext(document, new Date(now)));
}
