import { Chart } from 'cdk8s';
import { kubernetesDocument } from '../document';
import { ComplianceResult, PolicyEngine } from '../engine';
import type { Pack } from '../pack';
import { RULE_CATALOG } from '../rules/catalog';
import { describeFinding } from './cdk-validation-plugin';

/** Options for evaluating cdk8s charts. */
export interface ChartComplianceOptions {
  /** The packs to enforce. */
  readonly packs: readonly Pack[];
  /** @default - the current date */
  readonly now?: Date;
}

/** Runs the packs over the objects a chart synthesizes (the test helper, and what `enforceChart` runs). */
export function evaluateChart(chart: Chart, options: ChartComplianceOptions): ComplianceResult {
  const document = kubernetesDocument(chart.toJson(), chart.node.path || chart.node.id);
  return new PolicyEngine({ catalog: RULE_CATALOG, packs: options.packs }).evaluate([document], options.now ?? new Date());
}

/**
 * Adds a construct validation to a chart: `app.synth()` (and `cdk8s synth`) then fails with one message per
 * finding, naming rule, object, field, controls and fix. Charts attached to EKS through `addCdk8sChart` bypass
 * cdk8s synthesis: call `evaluateChart` there.
 */
export function enforceOnChart(chart: Chart, options: ChartComplianceOptions): void {
  chart.node.addValidation({
    validate: () => evaluateChart(chart, options).findings.map((f) => `${f.ruleId} ${f.logicalId} ${describeFinding(f)} Fix: ${f.fix}`),
  });
}
