import type { EvaluationContext } from '../../../context';
import type { RenderedResource } from '../../../document';
import { readStatements, servicePrincipals, statementCovers } from '../../../policy-document';
import { defineRule, fail, pass } from '../../../rule';
import { BUCKET_POLICIES } from './bucket-policies';
import { LOG_DESTINATIONS } from './log-destinations';

const LOG_DELIVERY = 'logging.s3.amazonaws.com';

/**
 * S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (S3 user guide,
 * "Enabling Amazon S3 server access logging": SSE-KMS is not supported on the destination). A bucket is a
 * destination when another bucket of the evaluation logs into it, or when its policy lets the log delivery
 * service write to it.
 */
function isAccessLogDestination(bucket: RenderedResource, ctx: EvaluationContext): boolean {
  if ((ctx.appIndex(LOG_DESTINATIONS).sourcesByDestination.get(bucket)?.length ?? 0) > 0) return true;
  for (const policy of ctx.index(BUCKET_POLICIES).byBucket.get(bucket.logicalId) ?? []) {
    const statements = readStatements(policy.properties.PolicyDocument, 'Properties/PolicyDocument', ctx);
    if (statements.some((s) => s.effect === 'Allow' && servicePrincipals(s.principal).includes(LOG_DELIVERY) && statementCovers(s, 's3:PutObject'))) return true;
  }
  return false;
}

/** MLOPS-S3-001: buckets encrypt objects with SSE-KMS under a customer-managed key. */
export default defineRule({
  id: 'MLOPS-S3-001',
  title: 'S3 bucket encrypts with SSE-KMS and a customer-managed key',
  resourceTypes: ['AWS::S3::Bucket'],
  severity: 'high',
  themes: ['ENC', 'KEY'],
  acknowledgeable: false,
  rationale:
    'Training data, model artifacts and captured inference data are regulated data. SSE-S3 and the AWS-managed ' +
    'aws/s3 key cannot be scoped, audited per purpose or revoked; a customer-managed key can.',
  fix:
    'Use regulated-mlops EncryptedBucket, or set encryption: s3.BucketEncryption.KMS with encryptionKey: <your kms.Key> ' +
    '(BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault {SSEAlgorithm: aws:kms, KMSMasterKeyID}). ' +
    'The one exception is a server access-log destination (AccessLogBucket): S3 delivers logs only to SSE-S3 buckets.',
  references: [
    'AWS Config s3-default-encryption-kms',
    'Control Tower CT.S3.PR.10',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html',
  ],
  scenarios: [
    {
      name: 'SSE-KMS with a key of the template',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] } } },
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    {
      name: 'dual-layer SSE-KMS with a key ARN',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }] } } },
    },
    { name: 'no encryption configuration', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: {} } },
    {
      name: 'SSE-S3 (AES256)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
    },
    {
      name: 'SSE-KMS with the AWS-managed key (no KMSMasterKeyID)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } } },
    },
    {
      name: 'SSE-KMS with the alias aws/s3',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' } }] } } },
    },
    {
      name: 'SSE-S3 on a bucket that receives server access logs (AWS allows nothing else there)',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
      others: {
        Source: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Subject' } } } },
      },
    },
    {
      name: 'SSE-S3 on a bucket whose policy admits S3 log delivery',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } } },
      others: {
        Policy: {
          Type: 'AWS::S3::BucketPolicy',
          Properties: {
            Bucket: { Ref: 'Subject' },
            PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, '/*']] } }] },
          },
        },
      },
    },
    {
      name: 'a log destination without any encryption configuration',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Source: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { DestinationBucketName: { Ref: 'Subject' } } } } },
    },
    {
      name: 'a key of another stack that is not part of the evaluation',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::ImportValue': 'Foundation:DataKeyArn' } } }] } } },
    },
    {
      name: 'algorithm chosen by a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: { Ref: 'Algorithm' }, KMSMasterKeyID: 'alias/data' } }] } } },
    },
  ],
  evaluate(bucket, ctx) {
    const base = 'Properties/BucketEncryption/ServerSideEncryptionConfiguration';
    const rules = ctx.array(bucket.properties.BucketEncryption?.ServerSideEncryptionConfiguration, base) ?? [];
    if (rules.length === 0) return fail('Properties/BucketEncryption', 'the bucket has no default encryption configuration');
    const byDefault = rules[0]?.ServerSideEncryptionByDefault ?? {};
    const path = `${base}/0/ServerSideEncryptionByDefault`;
    const algorithm = ctx.string(byDefault.SSEAlgorithm, `${path}/SSEAlgorithm`);
    if (algorithm === 'AES256' && isAccessLogDestination(bucket, ctx)) {
      return pass('server access-log destination: S3 delivers access logs only to SSE-S3 buckets, so SSE-S3 is the strongest encryption AWS allows here');
    }
    if (algorithm !== 'aws:kms' && algorithm !== 'aws:kms:dsse') {
      return fail(`${path}/SSEAlgorithm`, `SSEAlgorithm is ${algorithm ?? 'unset'}, not aws:kms`);
    }
    if (!ctx.isPresent(byDefault.KMSMasterKeyID, `${path}/KMSMasterKeyID`)) {
      return fail(`${path}/KMSMasterKeyID`, 'SSE-KMS without KMSMasterKeyID uses the AWS-managed aws/s3 key');
    }
    const keyId = ctx.locate(byDefault.KMSMasterKeyID) ? undefined : ctx.string(byDefault.KMSMasterKeyID, `${path}/KMSMasterKeyID`);
    if (keyId !== undefined && /alias\/aws\//.test(keyId)) {
      return fail(`${path}/KMSMasterKeyID`, `${keyId} is an AWS-managed key, not a customer-managed one`);
    }
    return pass();
  },
});
