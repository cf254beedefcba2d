import { App, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ModelRegistry, RiskTier } from '../../../../../constructs/registry/model-registry';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/model-package-group-policy-scoped';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-010 model package group policy: named principals, no cross-account approval', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (registry: ModelRegistry) => stack.getLogicalId(registry.modelPackageGroup);
  const shared = new ModelRegistry(stack, 'Shared', { owner: 'credit-models', riskTier: RiskTier.HIGH, readAccounts: ['444455556666'] });
  const privateGroup = new ModelRegistry(stack, 'Private', { owner: 'credit-models', riskTier: RiskTier.LOW });
  const overridden = new ModelRegistry(stack, 'Overridden', { owner: 'credit-models', riskTier: RiskTier.HIGH, readAccounts: ['444455556666'] });
  overridden.modelPackageGroup.addPropertyOverride('ModelPackageGroupPolicy.Statement.1.Action', ['sagemaker:DescribeModelPackage', 'sagemaker:UpdateModelPackage']);
  const open = new sagemaker.CfnModelPackageGroup(stack, 'RawOpen', {
    modelPackageGroupName: 'raw-open',
    modelPackageGroupPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sagemaker:DescribeModelPackage', Resource: '*' }] },
  });
  const verdicts = verdictsOnStack(rule, stack);

  it('passes ModelRegistry readAccounts (read-only, named accounts)', () => expect(verdicts[idOf(shared)]).toBe('pass'));
  it('is not applicable to a group without a policy', () => expect(verdicts[idOf(privateGroup)]).toBe('not-applicable'));
  it('fails a raw CfnModelPackageGroup open to Principal *, at the statement', () => {
    expect(verdicts[stack.getLogicalId(open)]).toBe('fail');
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(open))).toEqual([{
      status: 'fail', path: 'Properties/ModelPackageGroupPolicy/Statement/0',
      message: 'statement 0 allows sagemaker:DescribeModelPackage to Principal * (every AWS account) with no condition on ' +
        'aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn',
    }]);
  });
  it('fails UpdateModelPackage added to the readers with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([{
      status: 'fail', path: 'Properties/ModelPackageGroupPolicy/Statement/1',
      message: 'statement 1 allows sagemaker:UpdateModelPackage (approving or rejecting versions) to arn:aws:iam::444455556666:root, ' +
        "outside this account's approval workflow",
    }]);
  });
});
