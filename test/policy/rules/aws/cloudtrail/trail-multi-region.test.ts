import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import rule from '../../../../../lib/policy/rules/aws/cloudtrail/trail-multi-region';
import { evaluateScenario, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-CT-001 multi-region trail with global service events, logging', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new cloudtrail.Trail(stack, 'Compliant');
  new cloudtrail.Trail(stack, 'SingleRegion', { isMultiRegionTrail: false, includeGlobalServiceEvents: false });
  const overridden = new cloudtrail.Trail(stack, 'Overridden');
  (overridden.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('IsLogging', false);
  new cloudtrail.CfnTrail(stack, 'RawCfn', { isLogging: true, s3BucketName: 'audit-trail-bucket' });
  new cloudtrail.CfnTrail(stack, 'RawMultiRegion', { isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket' });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes the cloudtrail.Trail defaults', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails a single-region trail without global events, naming both properties', () => {
    expect(outcomesOnStack(rule, stack, 'SingleRegion')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/IsMultiRegionTrail', message: expect.stringContaining('IsMultiRegionTrail is false') }),
      expect.objectContaining({ status: 'fail', path: 'Properties/IncludeGlobalServiceEvents' }),
    ]);
  });
  it('fails a raw CfnTrail that leaves IsMultiRegionTrail unset', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/IsMultiRegionTrail', message: expect.stringContaining('unset') }),
    ]);
  });
  it('passes a raw multi-region CfnTrail (global events default to on)', () => expect(verdictOf('RawMultiRegion')).toBe('pass'));
  it('fails a compliant trail stopped with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/IsLogging', message: expect.stringContaining('IsLogging is false') }),
    ]);
  });
  it('reports a definite failure next to an unresolvable property instead of hiding it', () => {
    const scenario = rule.scenarios.find((s) => s.name.startsWith('stopped trail whose region scope'))!;
    expect(evaluateScenario(rule, scenario)).toEqual([
      expect.objectContaining({ status: 'unresolvable', path: 'Properties/IsMultiRegionTrail' }),
      expect.objectContaining({ status: 'fail', path: 'Properties/IsLogging' }),
    ]);
  });
});
