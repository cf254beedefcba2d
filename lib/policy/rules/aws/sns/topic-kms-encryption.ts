import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-SNS-001: topics encrypt messages with a customer-managed KMS key. */
export default defineRule({
  id: 'MLOPS-SNS-001',
  title: 'SNS topic encrypts messages with a customer-managed KMS key',
  resourceTypes: ['AWS::SNS::Topic'],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Alert and approval-event topics carry model ids, endpoint names, drift metrics and sometimes sample records. ' +
    'Unencrypted topics store them in the clear, and the AWS-managed aws/sns key cannot be scoped or audited per ' +
    'purpose (nor used by CloudWatch alarms or EventBridge to publish); a customer-managed key can.',
  fix:
    'Set masterKey: <your kms.Key> on sns.Topic (KmsMasterKeyId), and allow the publishing services ' +
    '(cloudwatch.amazonaws.com, events.amazonaws.com) kms:Decrypt and kms:GenerateDataKey* in the key policy.',
  references: [
    'AWS Config sns-encrypted-kms',
    'cdk-nag SNSEncryptedKMS (HIPAA, NIST 800-53, PCI DSS packs)',
    'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
  ],
  scenarios: [
    {
      name: 'key of the template',
      expect: 'pass',
      resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } },
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    { name: 'customer key alias', expect: 'pass', resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/mlops-alerts' } } },
    { name: 'no KmsMasterKeyId (unencrypted)', expect: 'fail', resource: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } } },
    { name: 'AWS-managed alias/aws/sns', expect: 'fail', resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } } },
    {
      name: 'AWS-managed key by alias ARN',
      expect: 'fail',
      resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/aws/sns' } },
    },
    { name: 'key from a parameter', expect: 'unresolvable', resource: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { Ref: 'TopicKey' } } } },
  ],
  evaluate(topic, ctx) {
    const path = 'Properties/KmsMasterKeyId';
    const key = topic.properties.KmsMasterKeyId;
    if (!ctx.isPresent(key, path)) return fail(path, 'KmsMasterKeyId is not set, so messages are stored unencrypted');
    const keyId = ctx.locate(key) ? undefined : ctx.string(key, path);
    if (keyId !== undefined && /alias\/aws\//.test(keyId)) return fail(path, `${keyId} is the AWS-managed key, not a customer-managed one`);
    return pass();
  },
});
