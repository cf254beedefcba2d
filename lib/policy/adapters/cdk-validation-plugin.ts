import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stage } from 'aws-cdk-lib';
import { PLUGIN_NAME } from '../acknowledgment-records';
import { ManifestConstructPaths } from '../construct-paths';
import { templateDocument } from '../document';
import { ComplianceResult, Finding, formatControls, PolicyEngine } from '../engine';
import type { Pack } from '../pack';
import { writeReports } from '../report/write-reports';
import { RULE_CATALOG } from '../rules/catalog';
import { TOOL } from '../report/json-report';

/** Options for the validation plugin. */
export interface CompliancePluginProps {
  /** The packs to enforce. */
  readonly packs: readonly Pack[];
  /** The synth date rules and acknowledgments are judged on. @default - the current date */
  readonly now?: Date;
  /** Write the compliance reports (`REPORT_FILES`: JSON, Markdown, HTML, OSCAL) into the cloud assembly. @default true */
  readonly writeReports?: boolean;
}

/**
 * The CDK policy-validation plugin: reads every synthesized template, runs the packs, writes the reports
 * and returns the violations, which make `cdk synth` fail. Violations are reported as `fatal` so that only
 * `acknowledge()` (with approver and expiry) can waive a rule, not a bare `Validations.acknowledge`.
 */
export class CompliancePlugin implements IPolicyValidationPlugin {
  public readonly name = PLUGIN_NAME;
  public readonly version = TOOL.version;
  public readonly ruleIds: string[];
  /** The result of the last validation (tests and the summary read it). */
  public lastResult?: ComplianceResult;
  private readonly engine: PolicyEngine;

  constructor(private readonly props: CompliancePluginProps) {
    this.engine = new PolicyEngine({ catalog: RULE_CATALOG, packs: props.packs });
    this.ruleIds = [...this.engine.rules.keys()];
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const manifests = new ManifestConstructPaths();
    const documents = context.stackTemplates.map((s) => {
      let paths: Map<string, string> | undefined;
      return templateDocument(JSON.parse(fs.readFileSync(s.templatePath, 'utf-8')), {
        source: s.templatePath,
        stack: s.stackConstructPath,
        // Only templates synthesized without `aws:cdk:path` metadata need the manifest.
        constructPathOf: (logicalId) => (paths ??= manifests.forTemplate(s.templatePath)).get(logicalId),
      });
    });
    const result = this.engine.evaluate(documents, this.props.now ?? new Date());
    this.lastResult = result;
    if (this.props.writeReports ?? true) {
      const outdir = (context.appConstruct as Stage).outdir ?? path.dirname(context.templatePaths[0] ?? '.');
      writeReports(result, outdir);
    }
    return { success: result.findings.length === 0, violations: toViolations(result.findings), pluginVersion: this.version };
  }
}

/** Groups findings into CDK violations: one per rule, message and property, listing every resource. */
export function toViolations(findings: readonly Finding[]): PolicyViolation[] {
  const groups = new Map<string, { finding: Finding; resources: PolicyViolation['violatingResources'][number][] }>();
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.message}\u0000${f.path}`;
    const group = groups.get(key) ?? { finding: f, resources: [] };
    group.resources.push({ resourceLogicalId: f.logicalId, templatePath: f.source, constructPath: f.constructPath, locations: [f.path] });
    groups.set(key, group);
  }
  return [...groups.values()].map(({ finding: f, resources }) => ({
    ruleName: f.ruleId,
    description: describeFinding(f),
    fix: f.fix,
    severity: 'fatal',
    violatingResources: resources,
    ruleMetadata: {
      title: f.title,
      severity: f.severity,
      controls: formatControls(f.mappings),
      acknowledgeable: f.acknowledgeable ? `yes: regulated-mlops acknowledge(scope, '${f.ruleId}', {reason, approvedBy, ticket, expires})` : 'no',
    },
  }));
}

/** The one-paragraph statement of a finding: rule, what is wrong, controls, severity, acknowledgment state. */
export function describeFinding(f: Finding): string {
  const expired = f.expiredAcknowledgment
    ? ` Acknowledgment by ${f.expiredAcknowledgment.approvedBy}${f.expiredAcknowledgment.ticket ? ` (${f.expiredAcknowledgment.ticket})` : ''} expired on ${f.expiredAcknowledgment.expires}.`
    : '';
  const controls = formatControls(f.mappings);
  const at = f.path ? ` (property ${f.path})` : '';
  return `[${f.severity}] ${f.title}: ${f.message}${at}.${expired}${controls ? ` Controls: ${controls}.` : ''}${f.acknowledgeable ? '' : ' May not be acknowledged.'}`;
}
