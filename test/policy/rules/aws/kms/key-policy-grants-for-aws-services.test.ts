import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/kms/key-policy-grants-for-aws-services';
import { evaluateScenario, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-KMS-003 CreateGrant only for AWS services', () => {
  itBehavesAsItsScenariosSay(rule);

  it('names a literal account root it exempted, so a reviewer can confirm it is the own account', () => {
    const scenario = rule.scenarios.find((s) => s.name.startsWith('root of a literal account'))!;
    expect(evaluateScenario(rule, scenario)).toEqual([{ status: 'pass', note: expect.stringContaining('root of 111122223333') }]);
  });

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const role = new iam.Role(stack, 'Trainer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  new kms.Key(stack, 'Compliant', { enableKeyRotation: true });
  const forAws = new kms.Key(stack, 'ForAws', { enableKeyRotation: true });
  forAws.addToResourcePolicy(new iam.PolicyStatement({
    principals: [role], actions: ['kms:CreateGrant'], resources: ['*'], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
  const open = new kms.Key(stack, 'Open', { enableKeyRotation: true });
  open.addToResourcePolicy(new iam.PolicyStatement({ principals: [role], actions: ['kms:CreateGrant'], resources: ['*'] }));
  const overridden = new kms.Key(stack, 'Overridden', { enableKeyRotation: true });
  overridden.addToResourcePolicy(new iam.PolicyStatement({
    principals: [role], actions: ['kms:CreateGrant'], resources: ['*'], conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
  }));
  (overridden.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement.1.Condition.Bool.kms:GrantIsForAWSResource', false);
  new kms.CfnKey(stack, 'RawCfn', {
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ops' }, Action: 'kms:*', Resource: '*' }],
    },
  });
  new kms.CfnKey(stack, 'RawCfnDefault', {});
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes the CDK default key (account root exempt) with no note', () => {
    expect(outcomesOnStack(rule, stack, 'Compliant')).toEqual([{ status: 'pass' }]);
  });
  it('passes CreateGrant to a role conditioned on kms:GrantIsForAWSResource', () => expect(verdictOf('ForAws')).toBe('pass'));
  it('fails CreateGrant to a role without the condition, at the statement', () => {
    expect(outcomesOnStack(rule, stack, 'Open')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KeyPolicy/Statement/1' }),
    ]);
  });
  it('judges raw CfnKeys on their rendered properties', () => {
    expect(verdictOf('RawCfn')).toBe('fail');
    expect(verdictOf('RawCfnDefault')).toBe('pass');
  });
  it('fails a conditioned statement overridden to false (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KeyPolicy/Statement/1' }),
    ]);
  });
});
