import { App, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import rule from '../../../../../lib/policy/rules/aws/cloudtrail/trail-cloudwatch-logs-delivery';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-CT-004 trail delivered to CloudWatch Logs', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new cloudtrail.Trail(stack, 'Compliant', { sendToCloudWatchLogs: true });
  new cloudtrail.Trail(stack, 'S3Only');
  const overridden = new cloudtrail.Trail(stack, 'Overridden', { sendToCloudWatchLogs: true });
  (overridden.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('CloudWatchLogsRoleArn', { Ref: 'AWS::NoValue' });
  new cloudtrail.CfnTrail(stack, 'RawCfn', {
    isLogging: true, isMultiRegionTrail: true, s3BucketName: 'audit-trail-bucket',
    cloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-1:111122223333:log-group:trail:*',
  });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a cloudtrail.Trail with sendToCloudWatchLogs', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails the cloudtrail.Trail default, naming both properties', () => {
    expect(outcomesOnStack(rule, stack, 'S3Only')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/CloudWatchLogsLogGroupArn' }),
      expect.objectContaining({ status: 'fail', path: 'Properties/CloudWatchLogsRoleArn' }),
    ]);
  });
  it('fails a raw CfnTrail with a log group but no role', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/CloudWatchLogsRoleArn', message: expect.stringContaining('no role') }),
    ]);
  });
  it('fails a delivering trail whose role is removed with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/CloudWatchLogsRoleArn' }),
    ]);
  });
});
