import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { templateDocument } from '../../../lib/policy/document';
import { ComplianceResult, PolicyEngine } from '../../../lib/policy/engine';
import type { Pack } from '../../../lib/policy/pack';
import type { Rule } from '../../../lib/policy/rule';
import clusterAccessEntriesOnly from '../../../lib/policy/rules/aws/eks/cluster-access-entries-only';
import nodeLaunchTemplateImdsv2 from '../../../lib/policy/rules/aws/eks/node-launch-template-imdsv2';
import nodeVolumesEncryptedKms from '../../../lib/policy/rules/aws/eks/node-volumes-encrypted-kms';
import nodegroupNoAl2Ami from '../../../lib/policy/rules/aws/eks/nodegroup-no-al2-ami';
import { RULE_CATALOG } from '../../../lib/policy/rules/catalog';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { EVERY_RULE_PACKS } from '../security/construct-test-helpers';

/** The EKS node and access rules of this issue (MLOPS-EKS-010..013), until they are registered in EKS_RULES. */
export const NEW_EKS_RULES: readonly Rule[] = [nodeLaunchTemplateImdsv2, nodegroupNoAl2Ami, nodeVolumesEncryptedKms, clusterAccessEntriesOnly];

/** The new rules the catalog does not hold yet (empty once they are registered, so nothing runs twice). */
const unregistered = NEW_EKS_RULES.filter((rule) => !RULE_CATALOG.some((r) => r.id === rule.id));

/** Every pack, every rule of the catalog, and the new EKS rules. */
export const EVERY_RULE_AND_NEW_EKS_PACKS: readonly Pack[] = [...EVERY_RULE_PACKS, {
  id: 'new-eks-rules', version: '0.0.0', framework: 'MLOPS-EKS-010..013 (not yet in a pack)', controlPrefix: 'EKS', source: 'lib/policy/rules/aws/eks',
  crosswalk: {}, rules: NEW_EKS_RULES.map((rule) => ({ ruleId: rule.id })),
}];

/** `complianceOf` of the harness, with the new EKS rules in the catalog. */
export function complianceWithEksRules(stack: Stack, now = FIXTURE_DATE): ComplianceResult {
  const paths = new Map(stack.node.findAll().filter(CfnElement.isCfnElement).filter((e) => Stack.of(e) === stack)
    .map((e) => [stack.resolve(e.logicalId) as string, e.node.path]));
  const document = templateDocument(Template.fromStack(stack).toJSON(), {
    source: `${stack.stackName}.template.json`, stack: stack.node.path, constructPathOf: (id) => paths.get(id),
  });
  return new PolicyEngine({ catalog: [...RULE_CATALOG, ...unregistered], packs: EVERY_RULE_AND_NEW_EKS_PACKS }).evaluate([document], new Date(now));
}
