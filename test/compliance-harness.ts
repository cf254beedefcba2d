import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { templateDocument } from '../lib/policy/document';
import { ComplianceResult, PolicyEngine } from '../lib/policy/engine';
import type { Pack } from '../lib/policy/pack';
import { ALL_PACKS } from '../lib/policy/packs';
import { RULE_CATALOG } from '../lib/policy/rules/catalog';
import { FIXTURE_DATE } from './policy/rule-harness';

/** Runs our packs over a synthesized stack's template (what the validation plugin does, without an App synth). */
export function complianceOf(stack: Stack, packs: readonly Pack[] = ALL_PACKS, now = FIXTURE_DATE): ComplianceResult {
  return complianceOfStacks([stack], packs, now);
}

/** Runs our packs over several stacks evaluated together (cross-stack references resolve through exports). */
export function complianceOfStacks(stacks: readonly Stack[], packs: readonly Pack[] = ALL_PACKS, now = FIXTURE_DATE): ComplianceResult {
  const documents = stacks.map((stack) => {
    const paths = new Map(stack.node.findAll().filter(CfnElement.isCfnElement).filter((e) => Stack.of(e) === stack)
      .map((e) => [stack.resolve(e.logicalId) as string, e.node.path]));
    return templateDocument(Template.fromStack(stack).toJSON(), {
      source: `${stack.stackName}.template.json`, stack: stack.node.path, constructPathOf: (id) => paths.get(id),
    });
  });
  return new PolicyEngine({ catalog: RULE_CATALOG, packs }).evaluate(documents, new Date(now));
}

/** The findings as short lines (`MLOPS-S3-001 Stack/Bucket/Resource Properties/...: message`), for readable failures. */
export function findingLines(result: ComplianceResult): string[] {
  return result.findings.map((f) => `${f.ruleId} ${f.constructPath ?? f.logicalId} ${f.path}: ${f.message}`);
}

/** Acknowledgments that held, as `ruleId@scope (automatic|by approver)`. */
export function acknowledgmentLines(result: ComplianceResult): string[] {
  return [...new Set(result.acknowledged.map((a) => `${a.ruleId}@${a.record.scope} (${a.record.automatic ? 'automatic' : a.record.approvedBy})`))];
}

/** cdk-nag 3.0.2's four packs over a stack: every violation CDK acknowledgments do not cover, as `rule path`. */
export function nagFindings(stack: Stack): string[] {
  const packs = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
  const lines: string[] = [];
  for (const pack of packs) {
    for (const v of pack.validateScope(stack).violations) {
      for (const r of v.violatingResources) lines.push(`${v.ruleName} ${r.constructPath ?? r.resourceLogicalId}`);
    }
  }
  return lines.sort();
}
