import { EvaluationContext, Unresolvable } from '../../../context';
import type { RenderedDocument } from '../../../document';
import { defineRule, fail, notApplicable, pass, unresolvable } from '../../../rule';
import { DataEventSelection, S3_DATA_EVENTS } from './s3-data-events';

/** The bucket tag that says what regulated data a bucket holds. EncryptedBucket sets it. */
export const DATA_CLASS_TAG = 'regulated-mlops:data-class';

/** The values of `DATA_CLASS_TAG` whose buckets must have their object reads and writes in the audit trail. */
export const AUDITED_DATA_CLASSES: readonly string[] = ['model-artifacts', 'training-data', 'inference-capture'];

const BUCKET = 'AWS::S3::Bucket';
const tagged = (dataClass: unknown, properties: Record<string, unknown> = {}) => ({
  Type: BUCKET,
  Properties: { ...properties, Tags: [{ Key: 'owner', Value: 'ml-platform' }, { Key: DATA_CLASS_TAG, Value: dataClass }] },
});
const trail = (properties: Record<string, unknown>) => ({
  Type: 'AWS::CloudTrail::Trail',
  Properties: { S3BucketName: 'audit-trail-bucket', IsLogging: true, IsMultiRegionTrail: true, ...properties },
});
const selecting = (values: unknown[], readWriteType = 'All', properties: Record<string, unknown> = {}) => trail({
  ...properties,
  EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: readWriteType, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }],
});
const OBJECTS_OF_SUBJECT = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, '/']] };

/** MLOPS-CT-010: buckets of model artifacts, training data and captured inference data are covered by S3 data events. */
export default defineRule({
  id: 'MLOPS-CT-010',
  title: 'Model, training-data and inference-capture buckets are covered by CloudTrail S3 data events (read and write)',
  resourceTypes: [BUCKET],
  severity: 'high',
  themes: ['LOG', 'SUP'],
  acknowledgeable: true,
  rationale:
    'Management events record who changed a bucket, not who read a training set, replaced a model artifact or copied ' +
    'captured inference data (often personal data). Only S3 data events (GetObject, PutObject, DeleteObject) put those ' +
    'accesses into the tamper-evident trail that an access review, a breach notification or a model-lineage question ' +
    'starts from. Both reads (exfiltration, purpose limitation) and writes (artifact substitution) matter. Any trail of ' +
    'any stack evaluated with this one counts; an organisation trail outside the evaluation is declared by acknowledging this rule.',
  fix:
    'Register the bucket with the regulated-mlops AuditTrail (dataEventBuckets, or auditTrail.addDataEventBucket(bucket)), or call ' +
    'trail.addS3EventSelector([{ bucket }]) on a cloudtrail.Trail (AWS::CloudTrail::Trail EventSelectors[] {ReadWriteType: All, ' +
    'DataResources: [{Type: AWS::S3::Object, Values: [<bucket ARN>/]}]}, or AdvancedEventSelectors with eventCategory Data, ' +
    `resources.type AWS::S3::Object and resources.ARN StartsWith <bucket ARN>/). Buckets are selected by the tag ${DATA_CLASS_TAG} ` +
    `(${AUDITED_DATA_CLASSES.join(', ')}).`,
  references: [
    'AWS Config cloudtrail-s3-dataevents-enabled',
    'AWS Config cloudtrail-all-read-s3-data-event-check',
    'AWS Config cloudtrail-all-write-s3-data-event-check',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html',
  ],
  scenarios: [
    {
      name: 'basic selector on the bucket ARN (CDK addS3EventSelector)',
      expect: 'pass',
      resource: tagged('model-artifacts'),
      others: { Trail: selecting([OBJECTS_OF_SUBJECT]) },
    },
    {
      name: 'separate ReadOnly and WriteOnly selectors by literal name',
      expect: 'pass',
      resource: tagged('training-data', { BucketName: 'training-data-eu' }),
      others: {
        Trail: trail({
          EventSelectors: [
            { ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::training-data-eu/'] }] },
            { ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::training-data-eu/'] }] },
          ],
        }),
      },
    },
    {
      name: 'advanced selector for every S3 object',
      expect: 'pass',
      resource: tagged('inference-capture'),
      others: {
        Trail: trail({
          AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }],
        }),
      },
    },
    {
      name: 'every bucket through a partition-aware ARN (CDK logAllS3DataEvents)',
      expect: 'pass',
      resource: tagged('model-artifacts'),
      others: { Trail: selecting([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::']] }]) },
    },
    { name: 'bucket without the data-class tag', expect: 'not-applicable', resource: { Type: BUCKET, Properties: {} } },
    { name: 'a data class outside the audited ones', expect: 'not-applicable', resource: tagged('access-logs') },
    { name: 'no trail at all', expect: 'fail', resource: tagged('model-artifacts') },
    {
      name: 'write events only',
      expect: 'fail',
      resource: tagged('training-data'),
      others: { Trail: selecting([OBJECTS_OF_SUBJECT], 'WriteOnly') },
    },
    {
      name: 'only a key prefix of the bucket',
      expect: 'fail',
      resource: tagged('model-artifacts'),
      others: { Trail: selecting([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, '/approved/']] }]) },
    },
    {
      name: 'the selector is on a stopped trail',
      expect: 'fail',
      resource: tagged('model-artifacts'),
      others: { Trail: selecting([OBJECTS_OF_SUBJECT], 'All', { IsLogging: false }) },
    },
    {
      name: 'advanced selector narrowed to PutObject',
      expect: 'fail',
      resource: tagged('inference-capture'),
      others: {
        Trail: trail({
          AdvancedEventSelectors: [{
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: ['PutObject'] },
            ],
          }],
        }),
      },
    },
    { name: 'data class from a parameter', expect: 'unresolvable', resource: tagged({ Ref: 'DataClass' }) },
    {
      name: 'the only selector names a bucket ARN from a parameter',
      expect: 'unresolvable',
      resource: tagged('model-artifacts'),
      others: { Trail: selecting([{ Ref: 'AuditedBucketArn' }]) },
    },
  ],
  evaluate(bucket, ctx) {
    const dataClass = dataClassOf(bucket.properties.Tags, ctx);
    if (dataClass === undefined) return notApplicable(`the bucket has no ${DATA_CLASS_TAG} tag`);
    if (!AUDITED_DATA_CLASSES.includes(dataClass)) return notApplicable(`${DATA_CLASS_TAG} is ${dataClass}, not one of ${AUDITED_DATA_CLASSES.join(', ')}`);

    let name: string | undefined;
    try {
      name = ctx.string(bucket.properties.BucketName, 'Properties/BucketName');
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
    }
    const covering: DataEventSelection[] = [];
    const partial: DataEventSelection[] = [];
    const unknown: string[] = [];
    for (const selection of ctx.appIndex(S3_DATA_EVENTS)) {
      const t = selection.target;
      if (t.kind === 'unknown') unknown.push(`${describe(selection, ctx.document)}: ${t.reason}`);
      const matches = t.kind === 'all'
        || (t.kind === 'bucket' && t.document === ctx.document && t.logicalId === bucket.logicalId)
        || (t.kind === 'name' && name !== undefined && t.name === name);
      if (!matches) continue;
      if (t.kind !== 'all' && !t.whole) partial.push(selection);
      else covering.push(selection);
    }
    const read = covering.find((s) => s.read);
    const write = covering.find((s) => s.write);
    if (read && write) {
      return pass(`${dataClass} bucket: reads logged by ${describe(read, ctx.document)}, writes by ${describe(write, ctx.document)}`);
    }
    const missing = !read && !write ? 'reads and writes' : !read ? 'reads' : 'writes';
    const seen = [
      ...covering.map((s) => `${describe(s, ctx.document)} logs only ${s.read ? 'reads' : 'writes'}`),
      ...partial.map((s) => `${describe(s, ctx.document)} logs only a key prefix of it`),
    ];
    const detail = seen.length > 0 ? ` (${seen.join('; ')})` : '';
    if (unknown.length > 0) {
      return unresolvable('', `no trail is known to log the ${missing} of this ${dataClass} bucket${detail}; selectors that may: ${unknown.join('; ')}`);
    }
    return fail('', `no trail of the evaluated stacks logs S3 data events for the ${missing} of this ${dataClass} bucket${detail}`);
  },
});

/** The data-class tag's value; undefined without the tag. Throws `Unresolvable` when it cannot be read. */
function dataClassOf(tags: unknown, ctx: EvaluationContext): string | undefined {
  const list = ctx.array(tags, 'Properties/Tags') ?? [];
  for (let i = 0; i < list.length; i++) {
    const tag = ctx.literal(list[i], `Properties/Tags/${i}`);
    if (ctx.string(tag?.Key, `Properties/Tags/${i}/Key`) === DATA_CLASS_TAG) return ctx.string(tag.Value, `Properties/Tags/${i}/Value`);
  }
  return undefined;
}

function describe(selection: DataEventSelection, here: RenderedDocument): string {
  const stack = selection.document === here ? '' : ` of ${selection.document.stack ?? selection.document.source}`;
  return `trail ${selection.trail.logicalId}${stack} (${selection.where})`;
}
