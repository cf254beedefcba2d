import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import rule from '../../../../../lib/policy/rules/aws/s3/trail-bucket-object-lock';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictOf as fold, verdictsOnStack } from '../../../rule-harness';

/** The rule's outcomes on a bucket when `stacks` are evaluated together (an app synth). */
function outcomesAcross(stacks: Stack[], subject: Stack, prefix: string) {
  const documents = stacks.map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName, stack: s.node.path }));
  const document = documents[stacks.indexOf(subject)];
  const bucket = document.resources.find((r) => r.logicalId.startsWith(prefix) && r.type === 'AWS::S3::Bucket')!;
  return runRule(rule, bucket, new EvaluationContext(document, new Date(FIXTURE_DATE), new EvaluationScope(documents)));
}

describe('MLOPS-S3-010 CloudTrail bucket has Object Lock in compliance mode', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const locked = () => ({ objectLockEnabled: true, objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(2557)) });
  new cloudtrail.Trail(stack, 'CompliantTrail', { bucket: new s3.Bucket(stack, 'Compliant', locked()) });
  new cloudtrail.Trail(stack, 'DefaultTrail'); // creates its own bucket, without Object Lock
  const overridden = new s3.Bucket(stack, 'Overridden', locked());
  (overridden.node.defaultChild as s3.CfnBucket).addPropertyOverride('ObjectLockConfiguration.Rule.DefaultRetention.Mode', 'GOVERNANCE');
  new cloudtrail.Trail(stack, 'OverriddenTrail', { bucket: overridden });
  const raw = new s3.CfnBucket(stack, 'RawCfn', {});
  new cloudtrail.CfnTrail(stack, 'RawTrail', { isLogging: true, s3BucketName: raw.ref });
  new s3.Bucket(stack, 'Unrelated');

  // A trail of one stack writing to a bucket of another: the bucket's verdict needs both templates.
  const logArchive = new Stack(app, 'LogArchive');
  const archive = new s3.Bucket(logArchive, 'Archive');
  const audit = new Stack(app, 'Audit');
  new cloudtrail.Trail(audit, 'Trail', { bucket: archive });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an s3.Bucket with a COMPLIANCE default retention that a cloudtrail.Trail writes to', () => expect(verdictOf('Compliant')).toBe('pass'));
  it("fails the bucket cloudtrail.Trail creates by default", () => {
    expect(outcomesOnStack(rule, stack, 'DefaultTrailS3')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ObjectLockEnabled', message: expect.stringMatching(/^ObjectLockEnabled is unset: the log files of DefaultTrail\w+ can be deleted/) }),
      expect.objectContaining({ status: 'fail', path: 'Properties/ObjectLockConfiguration/ObjectLockEnabled' }),
      expect.objectContaining({ status: 'fail', path: 'Properties/ObjectLockConfiguration/Rule/DefaultRetention' }),
    ]);
  });
  it('fails a raw CfnBucket a CfnTrail writes to', () => expect(verdictOf('RawCfn')).toBe('fail'));
  it('fails a locked bucket switched to GOVERNANCE with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ObjectLockConfiguration/Rule/DefaultRetention/Mode', message: expect.stringContaining('GOVERNANCE') }),
    ]);
  });
  it('is not applicable to a bucket no trail writes to', () => expect(verdictOf('Unrelated')).toBe('not-applicable'));
  it('follows a trail of another stack to the bucket through its export', () => {
    const outcomes = outcomesAcross([audit, logArchive], logArchive, 'Archive');
    expect(fold(outcomes)).toBe('fail');
    expect(outcomes[0]).toMatchObject({ path: 'Properties/ObjectLockEnabled', message: expect.stringMatching(/the log files of Trail\w+ \(Audit\)/) });
    expect(fold(outcomesAcross([logArchive], logArchive, 'Archive'))).toBe('not-applicable');
  });
});
