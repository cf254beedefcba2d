import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import rule from '../../../../../lib/policy/rules/aws/cloudtrail/trail-log-file-validation';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-CT-002 trail log file validation', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new cloudtrail.Trail(stack, 'Compliant');
  new cloudtrail.Trail(stack, 'NoValidation', { enableFileValidation: false });
  const overridden = new cloudtrail.Trail(stack, 'Overridden');
  (overridden.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('EnableLogFileValidation', false);
  new cloudtrail.CfnTrail(stack, 'RawCfn', { isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket' });
  new cloudtrail.CfnTrail(stack, 'RawValidated', {
    isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket', enableLogFileValidation: true,
  });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes the cloudtrail.Trail default', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails enableFileValidation: false', () => {
    expect(outcomesOnStack(rule, stack, 'NoValidation')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EnableLogFileValidation', message: expect.stringContaining('is false') }),
    ]);
  });
  it('fails a raw CfnTrail that leaves validation unset, passes one that sets it', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EnableLogFileValidation', message: expect.stringContaining('unset') }),
    ]);
    expect(verdictOf('RawValidated')).toBe('pass');
  });
  it('fails a compliant trail broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EnableLogFileValidation' }),
    ]);
  });
});
