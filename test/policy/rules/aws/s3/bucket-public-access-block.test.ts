import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import rule from '../../../../../lib/policy/rules/aws/s3/bucket-public-access-block';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-S3-002 bucket blocks all public access', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new s3.Bucket(stack, 'Compliant', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  new s3.Bucket(stack, 'AclsOnly', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS });
  new s3.Bucket(stack, 'Unset');
  const overridden = new s3.Bucket(stack, 'Overridden', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  (overridden.node.defaultChild as s3.CfnBucket).addPropertyOverride('PublicAccessBlockConfiguration.RestrictPublicBuckets', false);
  new s3.CfnBucket(stack, 'RawCfn', {});
  new s3.CfnBucket(stack, 'RawCfnBlocked', {
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a CDK bucket with BLOCK_ALL', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails BLOCK_ACLS and names the two missing settings', () => {
    expect(outcomesOnStack(rule, stack, 'AclsOnly')).toEqual([
      {
        status: 'fail',
        path: 'Properties/PublicAccessBlockConfiguration',
        message: 'BlockPublicPolicy is unset, RestrictPublicBuckets is unset; all four must be true',
      },
    ]);
  });
  it('fails a CDK bucket that leaves blockPublicAccess unset', () => expect(verdictOf('Unset')).toBe('fail'));
  it('judges raw CfnBuckets on their rendered properties', () => {
    expect(verdictOf('RawCfnBlocked')).toBe('pass');
    expect(verdictOf('RawCfn')).toBe('fail');
  });
  it('fails a compliant bucket broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PublicAccessBlockConfiguration/RestrictPublicBuckets' }),
    ]);
  });
});
