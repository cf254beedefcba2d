import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/iam/no-service-wide-data-actions';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-IAM-002 no service-wide data actions on Resource *', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const bucket = new s3.Bucket(stack, 'Data');
  const key = new kms.Key(stack, 'DataKey');

  const scoped = new iam.Role(stack, 'Scoped', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  bucket.grantReadWrite(scoped);
  key.grantDecrypt(scoped);
  scoped.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn, bucket.arnForObjects('*')] }));

  const wide = new iam.Role(stack, 'Wide', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
    inlinePolicies: {
      ml: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpoint'], resources: ['*'] }),
          new iam.PolicyStatement({ actions: ['sagemaker:*', 'kms:*'], resources: ['*'] }),
        ],
      }),
    },
  });
  const rawPolicy = new iam.CfnManagedPolicy(stack, 'RawPolicy', {
    policyDocument: { Statement: [{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: '*' }] },
  });
  const overridden = new iam.ManagedPolicy(stack, 'Overridden', {
    statements: [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: ['*'] })],
  });
  (overridden.node.defaultChild as iam.CfnManagedPolicy).addPropertyOverride('PolicyDocument.Statement.0.Action', 'secretsmanager:*');

  const verdicts = verdictsOnStack(rule, stack);

  it('passes CDK grants and a service-wide action scoped to one bucket', () => {
    expect(verdicts[idOf(scoped.node.findChild('DefaultPolicy'))]).toBe('pass');
  });
  it('is not applicable to a CDK role whose permissions live in its DefaultPolicy', () => {
    expect(verdicts[idOf(scoped)]).toBe('not-applicable');
  });
  it('fails the service-wide statement of a CDK role inline policy, and only that one', () => {
    expect(outcomesOnStack(rule, stack, idOf(wide))).toEqual([
      expect.objectContaining({
        status: 'fail',
        path: 'Properties/Policies/0/PolicyDocument/Statement/1',
        message: 'Action sagemaker:*, kms:* allows every action of kms, sagemaker on Resource *',
      }),
    ]);
  });
  it('fails a raw CfnManagedPolicy with dynamodb:* on Resource *', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(rawPolicy))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/0' }),
    ]);
  });
  it('fails a scoped managed policy broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/0' }),
    ]);
  });
});
