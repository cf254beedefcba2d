import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/iam/no-admin-access';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-IAM-001 no administrator access', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const bucket = new s3.Bucket(stack, 'Data');

  const scoped = new iam.Role(stack, 'Scoped', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    inlinePolicies: {
      logs: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['*'] })] }),
    },
  });
  bucket.grantRead(scoped);

  const adminRole = new iam.Role(stack, 'AdminRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
  });
  const adminPolicy = new iam.ManagedPolicy(stack, 'AdminPolicy', {
    statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }), new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
  });
  const rawUser = new iam.CfnUser(stack, 'RawUser', {
    policies: [{ policyName: 'all', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] } }],
  });
  const overridden = new iam.ManagedPolicy(stack, 'Overridden', {
    statements: [new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'] })],
  });
  (overridden.node.defaultChild as iam.CfnManagedPolicy).addPropertyOverride('PolicyDocument.Statement.0.Action', '*');

  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK role with scoped inline and grant policies', () => {
    expect(verdicts[idOf(scoped)]).toBe('pass');
    expect(verdicts[idOf(scoped.node.findChild('DefaultPolicy'))]).toBe('pass');
  });
  it('fails a CDK role attaching AdministratorAccess, at the managed policy ARN', () => {
    expect(outcomesOnStack(rule, stack, idOf(adminRole))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ManagedPolicyArns/0' }),
    ]);
  });
  it('fails only the admin statement of a CDK managed policy', () => {
    expect(outcomesOnStack(rule, stack, idOf(adminPolicy))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/1' }),
    ]);
  });
  it('fails a raw CfnUser with an inline *:* policy', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(rawUser))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/Policies/0/PolicyDocument/Statement/0' }),
    ]);
  });
  it('fails a scoped managed policy broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/0', message: 'the statement allows every action (*) on every resource (*)' }),
    ]);
  });
});
