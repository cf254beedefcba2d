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

/**
 * Set while a chart renders. `chart.toJson()` runs every validation of the app again, enforcement validations
 * included: those met on that nested run skip, so each enforced chart is evaluated once per synthesis instead of
 * recursing without end.
 */
let rendering = false;

function render(chart: Chart): any[] {
  const outer = rendering;
  rendering = true;
  try {
    return chart.toJson();
  } finally {
    rendering = outer;
  }
}

/** Runs the packs over the objects a chart synthesizes (the test helper, and what `enforceOnChart` runs). */
export function evaluateChart(chart: Chart, options: ChartComplianceOptions): ComplianceResult {
  const document = kubernetesDocument(render(chart), chart.node.path || chart.node.id);
  return new PolicyEngine({ catalog: RULE_CATALOG, packs: options.packs }).evaluate([document], options.now ?? new Date());
}

/**
 * Adds a construct validation to a chart: `app.synth()`, `cdk8s synth`, and `chart.toJson()` (which EKS's
 * `addCdk8sChart` calls) then fail with one message per finding, naming rule, object, field, controls and fix.
 */
export function enforceOnChart(chart: Chart, options: ChartComplianceOptions): void {
  chart.node.addValidation({
    validate: () => (rendering ? [] : evaluateChart(chart, options).findings.map((f) => `${f.ruleId} ${f.logicalId} ${describeFinding(f)} Fix: ${f.fix}`)),
  });
}
