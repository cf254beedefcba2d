import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-SQS-001: queues encrypt messages with a customer-managed KMS key. */
export default defineRule({
  id: 'MLOPS-SQS-001',
  title: 'SQS queue encrypts messages with a customer-managed KMS key',
  resourceTypes: ['AWS::SQS::Queue'],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Queues between pipeline steps carry inference requests, approval events and job payloads that may include ' +
    'regulated data. SSE-SQS (SqsManagedSseEnabled) and the AWS-managed aws/sqs key cannot be scoped, revoked or ' +
    'audited per purpose; a customer-managed key can, and its CloudTrail records show who decrypted what.',
  fix:
    'Set encryption: sqs.QueueEncryption.KMS with encryptionMasterKey: <your kms.Key> on sqs.Queue (KmsMasterKeyId, ' +
    'optionally KmsDataKeyReusePeriodSeconds); SqsManagedSseEnabled alone is not enough.',
  references: [
    'Control Tower CT.SQS.PR.2',
    'cdk-nag AwsSolutions-SQS2',
    'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html',
  ],
  scenarios: [
    {
      name: 'key of the template',
      expect: 'pass',
      resource: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    { name: 'customer key alias', expect: 'pass', resource: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/mlops-events' } } },
    { name: 'no encryption settings (SSE-SQS by default)', expect: 'fail', resource: { Type: 'AWS::SQS::Queue', Properties: {} } },
    { name: 'SQS-managed SSE', expect: 'fail', resource: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } } },
    { name: 'AWS-managed alias/aws/sqs', expect: 'fail', resource: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: 'alias/aws/sqs' } } },
    { name: 'key from a parameter', expect: 'unresolvable', resource: { Type: 'AWS::SQS::Queue', Properties: { KmsMasterKeyId: { Ref: 'QueueKey' } } } },
  ],
  evaluate(queue, ctx) {
    const path = 'Properties/KmsMasterKeyId';
    const key = queue.properties.KmsMasterKeyId;
    if (!ctx.isPresent(key, path)) {
      const sqsManaged = queue.properties.SqsManagedSseEnabled;
      return sqsManaged === true || sqsManaged === 'true'
        ? fail('Properties/SqsManagedSseEnabled', 'SqsManagedSseEnabled encrypts with SQS-owned keys; a customer-managed key (KmsMasterKeyId) is needed')
        : fail(path, 'KmsMasterKeyId is not set, so messages are at best encrypted with SQS-owned keys (SSE-SQS), not a customer-managed key');
    }
    const keyId = ctx.locate(key) ? undefined : ctx.string(key, path);
    if (keyId !== undefined && /alias\/aws\//.test(keyId)) return fail(path, `${keyId} is the AWS-managed key, not a customer-managed one`);
    return pass();
  },
});
