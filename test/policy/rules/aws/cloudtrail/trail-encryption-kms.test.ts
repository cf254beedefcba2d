import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/cloudtrail/trail-encryption-kms';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-CT-003 trail encrypted with KMS', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'TrailKey', { enableKeyRotation: true });
  new cloudtrail.Trail(stack, 'Compliant', { encryptionKey: key });
  new cloudtrail.Trail(stack, 'Unencrypted');
  const overridden = new cloudtrail.Trail(stack, 'Overridden', { encryptionKey: key });
  (overridden.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('KMSKeyId', { Ref: 'AWS::NoValue' });
  new cloudtrail.CfnTrail(stack, 'RawCfn', { isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket' });
  new cloudtrail.CfnTrail(stack, 'RawEncrypted', {
    isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket', kmsKeyId: 'alias/audit-trail',
  });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a cloudtrail.Trail with an encryptionKey', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails the cloudtrail.Trail default (SSE-S3 only)', () => {
    expect(outcomesOnStack(rule, stack, 'Unencrypted')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KMSKeyId', message: expect.stringContaining('KMSKeyId is unset') }),
    ]);
  });
  it('judges raw CfnTrails by KMSKeyId', () => {
    expect(verdictOf('RawCfn')).toBe('fail');
    expect(verdictOf('RawEncrypted')).toBe('pass');
  });
  it('fails an encrypted trail whose key is removed with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/KMSKeyId' })]);
  });
});
