import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import rule from '../../../../../lib/policy/rules/aws/s3/bucket-access-logging';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

/** The rule's outcomes on a bucket of `subject` when `stacks` are evaluated together (an app synth). */
function outcomesAcross(stacks: Stack[], subject: Stack, prefix: string) {
  const documents = stacks.map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName, stack: s.node.path }));
  const document = documents[stacks.indexOf(subject)];
  const bucket = document.resources.find((r) => r.logicalId.startsWith(prefix) && r.type === 'AWS::S3::Bucket')!;
  return runRule(rule, bucket, new EvaluationContext(document, new Date(FIXTURE_DATE), new EvaluationScope(documents)));
}

describe('MLOPS-S3-005 bucket server access logging', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const logs = new s3.Bucket(stack, 'AccessLogs');
  new s3.Bucket(stack, 'Compliant', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'compliant/' });
  new s3.Bucket(stack, 'NotLogged');
  new s3.Bucket(stack, 'PrefixOnly', { serverAccessLogsPrefix: 'self/' });
  const overridden = new s3.Bucket(stack, 'Overridden', { serverAccessLogsBucket: logs, serverAccessLogsPrefix: 'overridden/' });
  (overridden.node.defaultChild as s3.CfnBucket).addPropertyOverride('LoggingConfiguration.DestinationBucketName', { Ref: 'AWS::NoValue' });
  new s3.CfnBucket(stack, 'RawCfn', {});
  new s3.CfnBucket(stack, 'RawCfnCentral', { loggingConfiguration: { destinationBucketName: 'org-s3-access-logs-111122223333', logFilePrefix: 'raw/' } });
  // A log bucket shared by the buckets of another stack: its verdict needs both templates.
  const shared = new Stack(app, 'SharedLogs');
  const sharedLogs = new s3.Bucket(shared, 'SharedAccessLogs');
  const consumer = new Stack(app, 'Consumer');
  new s3.Bucket(consumer, 'Data', { serverAccessLogsBucket: sharedLogs, serverAccessLogsPrefix: 'data/' });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a CDK bucket with serverAccessLogsBucket', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('passes the log bucket itself, with the note a reviewer needs', () => {
    expect(outcomesOnStack(rule, stack, 'AccessLogs')).toEqual([
      { status: 'pass', note: expect.stringMatching(/^access-log destination: logging it into itself would loop; its own writes are recorded by CloudTrail data events \(receives the access logs of Compliant/) },
    ]);
  });
  it('fails a CDK bucket without logging', () => {
    expect(outcomesOnStack(rule, stack, 'NotLogged')).toEqual([
      { status: 'fail', path: 'Properties/LoggingConfiguration', message: 'LoggingConfiguration is absent: server access logging is off' },
    ]);
  });
  it('fails serverAccessLogsPrefix without a bucket (CDK renders logging into the bucket itself)', () => {
    expect(outcomesOnStack(rule, stack, 'PrefixOnly')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/LoggingConfiguration/DestinationBucketName' }),
    ]);
  });
  it('judges raw CfnBuckets on their rendered properties', () => {
    expect(verdictOf('RawCfnCentral')).toBe('pass');
    expect(verdictOf('RawCfn')).toBe('fail');
  });
  it('fails a logged bucket whose destination is removed with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/LoggingConfiguration/DestinationBucketName' }),
    ]);
  });
  it('passes a log bucket that receives the logs of another stack (Fn::ImportValue), and cannot alone', () => {
    expect(outcomesAcross([shared, consumer], shared, 'SharedAccessLogs')).toEqual([
      { status: 'pass', note: expect.stringContaining('(receives the access logs of Data') },
    ]);
    expect(outcomesAcross([shared, consumer], consumer, 'Data')).toEqual([{ status: 'pass' }]);
    expect(outcomesOnStack(rule, shared, 'SharedAccessLogs')).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/LoggingConfiguration' })]);
  });
});
