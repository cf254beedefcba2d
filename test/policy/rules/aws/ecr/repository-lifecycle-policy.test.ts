import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/ecr/repository-lifecycle-policy';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-ECR-004 repository has a lifecycle policy', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const compliant = new ecr.Repository(stack, 'Compliant', {
    lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(30) }],
  });
  const defaults = new ecr.Repository(stack, 'Defaults');
  // CloudFormation wants at least 100 characters; trailing spaces keep the JSON valid.
  const noRules = JSON.stringify({ rules: [] }).padEnd(100);
  const raw = new ecr.CfnRepository(stack, 'Raw', { lifecyclePolicy: { lifecyclePolicyText: noRules } });
  const overridden = new ecr.Repository(stack, 'Overridden', { lifecycleRules: [{ maxImageCount: 20 }] });
  (overridden.node.defaultChild as ecr.CfnRepository).addPropertyOverride('LifecyclePolicy.LifecyclePolicyText', noRules);
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK repository with a lifecycle rule', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails the CDK default (no lifecycle policy)', () => {
    expect(outcomesOnStack(rule, stack, idOf(defaults))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/LifecyclePolicy' })]);
  });
  it('fails a raw CfnRepository whose lifecycle policy has no rules', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('fail'));
  it('fails a compliant repository broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/LifecyclePolicy/LifecyclePolicyText', message: 'LifecyclePolicyText has no rules, so no image ever expires' }),
    ]);
  });
});
