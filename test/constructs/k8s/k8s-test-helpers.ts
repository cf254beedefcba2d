import { Chart } from 'cdk8s';
import { evaluateChart } from '../../../lib/policy/adapters/cdk8s-validation';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { EVERY_RULE_PACKS } from '../security/construct-test-helpers';

/** A serving image pinned by digest. */
export const IMAGE = `111122223333.dkr.ecr.eu-west-1.amazonaws.com/models/fraud@sha256:${'0123456789abcdef'.repeat(4)}`;

/** The one object of `kind` named `name` (fails the test when there is not exactly one). */
export function objectOf(objects: readonly any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found[0];
}

/** Every finding of every pack, plus every rule of the catalog, on a chart's objects: `ruleId Kind/ns/name path: message`. */
export function chartFindingLines(chart: Chart): string[] {
  return evaluateChart(chart, { packs: EVERY_RULE_PACKS, now: new Date(FIXTURE_DATE) }).findings
    .map((f) => `${f.ruleId} ${f.logicalId} ${f.path}: ${f.message}`);
}
