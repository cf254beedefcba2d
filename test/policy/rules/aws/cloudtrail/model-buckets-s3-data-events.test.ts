import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EvaluationContext, EvaluationScope } from '../../../../../lib/policy/context';
import { templateDocument } from '../../../../../lib/policy/document';
import { runRule } from '../../../../../lib/policy/engine';
import rule, { DATA_CLASS_TAG } from '../../../../../lib/policy/rules/aws/cloudtrail/model-buckets-s3-data-events';
import { FIXTURE_DATE, itBehavesAsItsScenariosSay, outcomesOnStack, verdictOf as fold, verdictsOnStack } from '../../../rule-harness';

/** The rule's outcomes on a bucket when `stacks` are evaluated together (an app synth). */
function outcomesAcross(stacks: Stack[], subject: Stack, prefix: string) {
  const documents = stacks.map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName, stack: s.node.path }));
  const document = documents[stacks.indexOf(subject)];
  const bucket = document.resources.find((r) => r.logicalId.startsWith(prefix) && r.type === 'AWS::S3::Bucket')!;
  return runRule(rule, bucket, new EvaluationContext(document, new Date(FIXTURE_DATE), new EvaluationScope(documents)));
}

describe('MLOPS-CT-010 model and data buckets covered by S3 data events', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const tagged = (id: string, dataClass: string) => {
    const bucket = new s3.Bucket(stack, id);
    Tags.of(bucket).add(DATA_CLASS_TAG, dataClass);
    return bucket;
  };
  const trail = new cloudtrail.Trail(stack, 'Trail');
  trail.addS3EventSelector([{ bucket: tagged('Covered', 'model-artifacts') }]);
  tagged('Uncovered', 'training-data');
  new s3.Bucket(stack, 'Untagged');
  const writesOnly = new cloudtrail.Trail(stack, 'WritesOnlyTrail');
  writesOnly.addS3EventSelector([{ bucket: tagged('Overridden', 'inference-capture') }]);
  (writesOnly.node.defaultChild as cloudtrail.CfnTrail).addPropertyOverride('EventSelectors.0.ReadWriteType', 'WriteOnly');
  const raw = new s3.CfnBucket(stack, 'RawCfn', { tags: [{ key: DATA_CLASS_TAG, value: 'training-data' }] });
  new cloudtrail.CfnTrail(stack, 'RawTrail', {
    isLogging: true, s3BucketName: 'audit-trail-bucket',
    advancedEventSelectors: [{
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] }, { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${raw.attrArn}/`] },
      ],
    }],
  });
  new s3.CfnBucket(stack, 'RawUncovered', { tags: [{ key: DATA_CLASS_TAG, value: 'model-artifacts' }] });

  // The trail of a foundation stack covering the model bucket of another stack.
  const models = new Stack(app, 'Models');
  const artifacts = new s3.Bucket(models, 'Artifacts');
  Tags.of(artifacts).add(DATA_CLASS_TAG, 'model-artifacts');
  const foundation = new Stack(app, 'Foundation');
  new cloudtrail.Trail(foundation, 'Trail').addS3EventSelector([{ bucket: artifacts }]);
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a tagged s3.Bucket selected with cloudtrail.Trail addS3EventSelector', () => expect(verdictOf('Covered')).toBe('pass'));
  it('fails a tagged bucket no trail selects', () => {
    expect(outcomesOnStack(rule, stack, 'Uncovered')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: 'no trail of the evaluated stacks logs S3 data events for the reads and writes of this training-data bucket' }),
    ]);
  });
  it('is not applicable to a bucket without the data-class tag', () => expect(verdictOf('Untagged')).toBe('not-applicable'));
  it('judges raw CfnBuckets by the advanced selectors of a raw CfnTrail', () => {
    expect(verdictOf('RawCfn')).toBe('pass');
    expect(verdictOf('RawUncovered')).toBe('fail');
  });
  it('fails a bucket whose selector is narrowed to writes with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: expect.stringMatching(/for the reads of this inference-capture bucket \(trail WritesOnlyTrail\w+ \(EventSelectors\/0\) logs only writes\)$/) }),
    ]);
  });
  it('counts the trail of another stack, found through the export of the bucket ARN', () => {
    const outcomes = outcomesAcross([models, foundation], models, 'Artifacts');
    expect(outcomes).toEqual([{ status: 'pass', note: expect.stringMatching(/reads logged by trail Trail\w+ of Foundation \(EventSelectors\/0\)/) }]);
    expect(fold(outcomesAcross([models], models, 'Artifacts'))).toBe('fail');
  });
});
