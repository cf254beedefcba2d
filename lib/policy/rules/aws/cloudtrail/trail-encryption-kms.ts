import { defineRule, fail, pass } from '../../../rule';

const TRAIL = 'AWS::CloudTrail::Trail';
const BASE = { S3BucketName: 'audit-trail-bucket', IsLogging: true, IsMultiRegionTrail: true };

/** MLOPS-CT-003: log files are encrypted with a customer-managed KMS key (SSE-KMS), not only SSE-S3. */
export default defineRule({
  id: 'MLOPS-CT-003',
  title: 'CloudTrail trail encrypts log files with a KMS key',
  resourceTypes: [TRAIL],
  severity: 'high',
  themes: ['LOGI', 'ENC'],
  acknowledgeable: false,
  rationale:
    'Trail logs name principals, resources and request parameters of regulated workloads. Without KMSKeyId they are ' +
    'only SSE-S3 encrypted, so anyone who can read the bucket can read the audit trail; a customer-managed key adds ' +
    'a second, separately audited permission (kms:Decrypt) and lets the key policy keep log readers to the auditors.',
  fix:
    'Pass encryptionKey: <your kms.Key> to cloudtrail.Trail (AWS::CloudTrail::Trail KMSKeyId: the key ARN or alias); ' +
    'the key policy must let cloudtrail.amazonaws.com use it.',
  references: [
    'AWS Config cloud-trail-encryption-enabled',
    'Control Tower CT.CLOUDTRAIL.PR.1',
    'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html',
  ],
  scenarios: [
    {
      name: 'key of the template',
      expect: 'pass',
      resource: { Type: TRAIL, Properties: { ...BASE, KMSKeyId: { 'Fn::GetAtt': ['TrailKey', 'Arn'] } } },
      others: { TrailKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    { name: 'key alias', expect: 'pass', resource: { Type: TRAIL, Properties: { ...BASE, KMSKeyId: 'alias/audit-trail' } } },
    { name: 'no KMSKeyId (SSE-S3 only)', expect: 'fail', resource: { Type: TRAIL, Properties: BASE } },
    { name: 'KMSKeyId removed with AWS::NoValue', expect: 'fail', resource: { Type: TRAIL, Properties: { ...BASE, KMSKeyId: { Ref: 'AWS::NoValue' } } } },
    {
      name: 'key only under a condition',
      expect: 'unresolvable',
      resource: { Type: TRAIL, Properties: { ...BASE, KMSKeyId: { 'Fn::If': ['Encrypt', 'alias/audit-trail', { Ref: 'AWS::NoValue' }] } } },
    },
  ],
  evaluate(trail, ctx) {
    const path = 'Properties/KMSKeyId';
    if (ctx.isPresent(trail.properties.KMSKeyId, path)) return pass();
    return fail(path, 'KMSKeyId is unset: log files are encrypted with SSE-S3 only, readable by anyone who can read the bucket');
  },
});
