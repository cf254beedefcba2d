import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import rule from '../../../../../lib/policy/rules/aws/s3/bucket-encryption-kms';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-S3-001 bucket SSE-KMS with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'DataKey', { enableKeyRotation: true });
  new s3.Bucket(stack, 'Compliant', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  new s3.Bucket(stack, 'S3Managed', { encryption: s3.BucketEncryption.S3_MANAGED });
  new s3.Bucket(stack, 'AwsManagedKms', { encryption: s3.BucketEncryption.KMS_MANAGED });
  const overridden = new s3.Bucket(stack, 'Overridden', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  (overridden.node.defaultChild as s3.CfnBucket).addPropertyOverride(
    'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault', { SSEAlgorithm: 'AES256' },
  );
  new s3.CfnBucket(stack, 'RawCfn', {});
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a CDK bucket with a customer-managed key', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails SSE-S3 and the AWS-managed key', () => {
    expect(verdictOf('S3Managed')).toBe('fail');
    expect(verdictOf('AwsManagedKms')).toBe('fail');
  });
  it('fails a raw CfnBucket without encryption', () => expect(verdictOf('RawCfn')).toBe('fail'));
  it('fails a compliant bucket broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({
        status: 'fail',
        path: 'Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm',
      }),
    ]);
  });
});
