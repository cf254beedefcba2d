import { Unresolvable } from '../../../context';
import { defineRule, fail, pass } from '../../../rule';

const SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;
const BLOCK_ALL = Object.fromEntries(SETTINGS.map((s) => [s, true]));

/** MLOPS-S3-002: buckets turn on all four Block Public Access settings. */
export default defineRule({
  id: 'MLOPS-S3-002',
  title: 'S3 bucket blocks all public access',
  resourceTypes: ['AWS::S3::Bucket'],
  severity: 'high',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'A public ACL or bucket policy would expose training data, model artifacts or captured inference data to the ' +
    'internet. The four Block Public Access settings override any ACL or policy that grants public access, so a ' +
    'later mistake in either cannot publish the data. Relying on the S3 default for new buckets is not enough: it ' +
    'is invisible in the template, and removing the property from a deployed stack deletes the block.',
  fix:
    'Use regulated-mlops EncryptedBucket, or set blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL ' +
    '(PublicAccessBlockConfiguration {BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets: true}).',
  references: [
    'AWS Config s3-bucket-level-public-access-prohibited',
    'AWS Config s3-bucket-public-read-prohibited',
    'AWS Config s3-bucket-public-write-prohibited',
    'Control Tower CT.S3.PR.1',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  ],
  scenarios: [
    {
      name: 'all four settings true',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: BLOCK_ALL } },
    },
    {
      name: 'settings written as strings',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: Object.fromEntries(SETTINGS.map((s) => [s, 'true'])) } },
    },
    { name: 'no PublicAccessBlockConfiguration', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: {} } },
    {
      name: 'ACLs blocked only (s3.BlockPublicAccess.BLOCK_ACLS)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true } } },
    },
    {
      name: 'RestrictPublicBuckets false',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { ...BLOCK_ALL, RestrictPublicBuckets: false } } },
    },
    {
      name: 'one setting false and another from a parameter (the definite failure wins)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { ...BLOCK_ALL, BlockPublicPolicy: false, RestrictPublicBuckets: { Ref: 'Restrict' } } } },
    },
    {
      name: 'BlockPublicPolicy from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { ...BLOCK_ALL, BlockPublicPolicy: { Ref: 'BlockPolicy' } } } },
    },
    {
      name: 'the whole configuration behind a condition',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { PublicAccessBlockConfiguration: { 'Fn::If': ['IsProd', BLOCK_ALL, { Ref: 'AWS::NoValue' }] } } },
    },
  ],
  evaluate(bucket, ctx) {
    const base = 'Properties/PublicAccessBlockConfiguration';
    const config = ctx.literal(bucket.properties.PublicAccessBlockConfiguration, base);
    if (config === undefined) {
      return fail(base, `PublicAccessBlockConfiguration is absent: ${SETTINGS.join(', ')} are not set`);
    }
    const describe = (setting: string) => (ctx.isAbsent(config[setting]) ? 'unset' : String(config[setting]));
    const wrong: string[] = [];
    let unknown: Unresolvable | undefined;
    for (const setting of SETTINGS) {
      try {
        const value = ctx.bool(config[setting], `${base}/${setting}`);
        if (value !== true) wrong.push(setting);
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        unknown ??= e;
      }
    }
    // A setting that is definitely off is a violation whatever the parameter says.
    if (wrong.length === 1) return fail(`${base}/${wrong[0]}`, `${wrong[0]} is ${describe(wrong[0])}, not true`);
    if (wrong.length > 1) return fail(base, `${wrong.map((s) => `${s} is ${describe(s)}`).join(', ')}; all four must be true`);
    if (unknown) throw unknown;
    return pass();
  },
});
