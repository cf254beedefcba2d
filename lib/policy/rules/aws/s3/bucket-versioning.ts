import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-S3-004: buckets keep every version of every object. */
export default defineRule({
  id: 'MLOPS-S3-004',
  title: 'S3 bucket has versioning enabled',
  resourceTypes: ['AWS::S3::Bucket'],
  severity: 'medium',
  themes: ['RES', 'SUP'],
  acknowledgeable: true,
  rationale:
    'Without versioning an overwrite or delete of a training set or model artifact is final: the data a model was ' +
    'validated on cannot be recovered, and the artifact that is served cannot be shown to be the one that was ' +
    'approved. Versioning keeps every prior object version for restore and for lineage.',
  fix:
    'Use regulated-mlops EncryptedBucket, or set versioned: true on the s3.Bucket ' +
    '(VersioningConfiguration {Status: Enabled}). Pair it with a noncurrent-version lifecycle rule to bound the cost.',
  references: [
    'AWS Config s3-bucket-versioning-enabled',
    'Control Tower CT.S3.PR.11',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html',
  ],
  scenarios: [
    { name: 'versioning enabled', expect: 'pass', resource: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } } },
    { name: 'no VersioningConfiguration', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: {} } },
    { name: 'versioning suspended', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Suspended' } } } },
    {
      name: 'status from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: { Ref: 'VersioningStatus' } } } },
    },
    {
      name: 'configuration behind a condition',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { 'Fn::If': ['IsProd', { Status: 'Enabled' }, { Ref: 'AWS::NoValue' }] } } },
    },
  ],
  evaluate(bucket, ctx) {
    const base = 'Properties/VersioningConfiguration';
    const config = ctx.literal(bucket.properties.VersioningConfiguration, base);
    if (config === undefined) return fail(base, 'VersioningConfiguration is absent: versioning is off');
    const status = ctx.string(config.Status, `${base}/Status`);
    if (status !== 'Enabled') return fail(`${base}/Status`, `VersioningConfiguration.Status is ${status ?? 'unset'}, not Enabled`);
    return pass();
  },
});
