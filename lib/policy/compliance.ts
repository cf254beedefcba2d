import { App, AspectPriority, Aspects, Stage, Validations } from 'aws-cdk-lib';
import type { Chart } from 'cdk8s';
import { RegulatedMlopsError } from '../core/errors';
import { CompliancePlugin } from './adapters/cdk-validation-plugin';
import { enforceOnChart } from './adapters/cdk8s-validation';
import { PolicyAspect } from './adapters/policy-aspect';
import type { Pack } from './pack';
import { ALL_PACKS } from './packs';

/** Options for `Compliance.enforce`. */
export interface EnforceOptions {
  /** The packs to enforce. @default - every pack of the library */
  readonly packs?: readonly Pack[];
  /** The date rules and acknowledgments are judged on. @default - the current date */
  readonly now?: Date;
  /**
   * Also run the policy aspect, which annotates each violating construct before the templates are written.
   * It renders every resource a second time, so it costs synth time on large apps.
   * @default false
   */
  readonly earlyFeedback?: boolean;
  /** Write the compliance reports (`REPORT_FILES`: JSON, Markdown, HTML, OSCAL) into the cloud assembly on every synth. @default true */
  readonly writeReports?: boolean;
}

/** The one call a user makes to refuse non-compliant synthesis. */
export class Compliance {
  /**
   * Enforces packs on an app (or stage): a violation makes `cdk synth` exit non-zero, naming the rule, the
   * framework controls, the construct path, the property and the fix. Returns the plugin (its `lastResult`
   * holds the evaluation after synth).
   */
  public static enforce(scope: App | Stage, options: EnforceOptions = {}): CompliancePlugin {
    const packs = options.packs ?? ALL_PACKS;
    if (packs.length === 0) {
      throw new RegulatedMlopsError('InvalidConfiguration', 'Compliance.enforce needs at least one pack', [
        { path: `${scope.node.path || '<app>'}:packs`, received: '[]', allowed: ALL_PACKS.map((p) => p.id).join(', '), fix: 'omit packs to enforce all of them' },
      ]);
    }
    const plugin = new CompliancePlugin({ packs, now: options.now, writeReports: options.writeReports });
    Validations.of(scope).addPlugins(plugin);
    if (options.earlyFeedback) {
      Aspects.of(scope).add(new PolicyAspect({ packs, now: options.now }), { priority: AspectPriority.READONLY });
    }
    return plugin;
  }

  /** Enforces packs on a cdk8s chart (every pack unless `options.packs` names some): its synthesis fails on a violation. */
  public static enforceChart(chart: Chart, options: Pick<EnforceOptions, 'packs' | 'now'> = {}): void {
    enforceOnChart(chart, { packs: options.packs ?? ALL_PACKS, now: options.now });
  }
}
