import { App, Stack, Tags } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ModelRegistry, RiskTier } from '../../../../../constructs/registry/model-registry';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/model-package-group-inventory-tags';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-011 model package group inventory tags', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const registry = new ModelRegistry(stack, 'Registry', { owner: 'credit-models', riskTier: RiskTier.MEDIUM });
  const untagged = new sagemaker.CfnModelPackageGroup(stack, 'RawUntagged', { modelPackageGroupName: 'raw-untagged' });
  const taggedRaw = new sagemaker.CfnModelPackageGroup(stack, 'RawTagged', { modelPackageGroupName: 'raw-tagged' });
  Tags.of(taggedRaw).add('model-id', 'fraud-gbm');
  Tags.of(taggedRaw).add('owner', 'fraud-team');
  Tags.of(taggedRaw).add('risk-tier', 'Low');
  const overridden = new ModelRegistry(stack, 'Overridden', { owner: 'credit-models', riskTier: RiskTier.HIGH });
  overridden.modelPackageGroup.addPropertyOverride('Tags.2.Value', 'Severe');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes ModelRegistry, which requires owner and riskTier', () => expect(verdicts[stack.getLogicalId(registry.modelPackageGroup)]).toBe('pass'));
  it('passes a raw group tagged with Tags.of', () => expect(verdicts[stack.getLogicalId(taggedRaw)]).toBe('pass'));
  it('fails an untagged raw CfnModelPackageGroup, naming the missing tags', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(untagged))).toEqual([
      { status: 'fail', path: 'Properties/Tags', message: 'the inventory tags model-id, owner, risk-tier are missing' },
    ]);
  });
  it('fails a risk tier overridden outside High, Medium, Low (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(overridden.modelPackageGroup))).toEqual([
      { status: 'fail', path: 'Properties/Tags/2/Value', message: "risk-tier is 'Severe', not one of High, Medium, Low" },
    ]);
  });
});
