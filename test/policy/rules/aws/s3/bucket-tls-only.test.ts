import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import rule from '../../../../../lib/policy/rules/aws/s3/bucket-tls-only';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-S3-003 bucket policy denies requests without TLS', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new s3.Bucket(stack, 'Compliant', { enforceSSL: true });
  new s3.Bucket(stack, 'MinTls', { enforceSSL: true, minimumTLSVersion: 1.2 });
  new s3.Bucket(stack, 'NoPolicy');
  const allowOnly = new s3.Bucket(stack, 'AllowOnly');
  allowOnly.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AccountRootPrincipal()], actions: ['s3:GetObject'], resources: [allowOnly.arnForObjects('*')],
  }));
  const overridden = new s3.Bucket(stack, 'Overridden', { enforceSSL: true });
  (overridden.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride(
    'PolicyDocument.Statement.0.Resource', overridden.bucketArn,
  );
  new s3.CfnBucket(stack, 'RawCfn', { bucketName: 'regulated-training-data' });
  new s3.CfnBucketPolicy(stack, 'RawCfnPolicy', {
    bucket: 'regulated-training-data',
    policyDocument: {
      Statement: [{
        Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': false } },
        Resource: ['arn:aws:s3:::regulated-training-data', 'arn:aws:s3:::regulated-training-data/*'],
      }],
    },
  });
  new s3.CfnBucket(stack, 'RawNoPolicy', {});
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes CDK buckets with enforceSSL (also with a minimum TLS version statement)', () => {
    expect(verdictOf('Compliant')).toBe('pass');
    expect(verdictOf('MinTls')).toBe('pass');
  });
  it('fails a CDK bucket without a policy, and one whose policy only allows', () => {
    expect(outcomesOnStack(rule, stack, 'NoPolicy')).toEqual([
      { status: 'fail', path: 'Properties', message: 'the bucket has no bucket policy, so requests without TLS are not denied' },
    ]);
    expect(verdictOf('AllowOnly')).toBe('fail');
  });
  it('matches a raw CfnBucketPolicy to its raw CfnBucket by literal name', () => {
    expect(verdictOf('RawCfn')).toBe('pass');
    expect(verdictOf('RawNoPolicy')).toBe('fail');
  });
  it('fails an enforceSSL policy overridden to cover only the bucket ARN (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({
        status: 'fail',
        path: 'Properties',
        message: expect.stringContaining('statement 0 denies requests without TLS but its resources miss the objects (bucket ARN/*)'),
      }),
    ]);
  });
});
