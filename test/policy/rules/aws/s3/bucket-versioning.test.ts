import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import rule from '../../../../../lib/policy/rules/aws/s3/bucket-versioning';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-S3-004 bucket versioning', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new s3.Bucket(stack, 'Compliant', { versioned: true });
  new s3.Bucket(stack, 'Unversioned');
  const overridden = new s3.Bucket(stack, 'Overridden', { versioned: true });
  (overridden.node.defaultChild as s3.CfnBucket).addPropertyOverride('VersioningConfiguration.Status', 'Suspended');
  new s3.CfnBucket(stack, 'RawCfn', {});
  new s3.CfnBucket(stack, 'RawCfnVersioned', { versioningConfiguration: { status: 'Enabled' } });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a CDK bucket with versioned: true', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails a CDK bucket without versioning', () => {
    expect(outcomesOnStack(rule, stack, 'Unversioned')).toEqual([
      { status: 'fail', path: 'Properties/VersioningConfiguration', message: 'VersioningConfiguration is absent: versioning is off' },
    ]);
  });
  it('judges raw CfnBuckets on their rendered properties', () => {
    expect(verdictOf('RawCfnVersioned')).toBe('pass');
    expect(verdictOf('RawCfn')).toBe('fail');
  });
  it('fails a versioned bucket overridden to Suspended (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/VersioningConfiguration/Status' }),
    ]);
  });
});
