import { defineRule, fail, pass } from '../../../rule';

const LOG_GROUP = 'AWS::Logs::LogGroup';

/** MLOPS-LOGS-001: log groups encrypt their events with a customer-managed KMS key. */
export default defineRule({
  id: 'MLOPS-LOGS-001',
  title: 'CloudWatch Logs log group is encrypted with a customer-managed KMS key',
  resourceTypes: [LOG_GROUP],
  severity: 'high',
  themes: ['LOGI', 'ENC'],
  acknowledgeable: false,
  rationale:
    'Application, inference and audit logs routinely carry request payloads, identifiers and error details of ' +
    'regulated data. Without KmsKeyId CloudWatch Logs uses a service-owned key nobody can scope or revoke; with a ' +
    'customer-managed key, reading the logs also needs kms:Decrypt on that key, which is separately granted and audited.',
  fix:
    'Pass encryptionKey: <your kms.Key> to logs.LogGroup (AWS::Logs::LogGroup KmsKeyId: the key ARN); the key policy ' +
    'must let logs.<region>.amazonaws.com use it.',
  references: [
    'AWS Config cloudwatch-log-group-encrypted',
    'Control Tower CT.CLOUDWATCH.PR.3',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  ],
  scenarios: [
    {
      name: 'key of the template',
      expect: 'pass',
      resource: { Type: LOG_GROUP, Properties: { KmsKeyId: { 'Fn::GetAtt': ['LogsKey', 'Arn'] }, RetentionInDays: 365 } },
      others: { LogsKey: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    {
      name: 'key ARN',
      expect: 'pass',
      resource: { Type: LOG_GROUP, Properties: { KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
    },
    { name: 'no KmsKeyId (service-owned key)', expect: 'fail', resource: { Type: LOG_GROUP, Properties: { RetentionInDays: 365 } } },
    { name: 'no properties at all', expect: 'fail', resource: { Type: LOG_GROUP } },
    {
      name: 'key only under a condition',
      expect: 'unresolvable',
      resource: { Type: LOG_GROUP, Properties: { KmsKeyId: { 'Fn::If': ['Encrypt', { 'Fn::GetAtt': ['LogsKey', 'Arn'] }, { Ref: 'AWS::NoValue' }] } } },
      others: { LogsKey: { Type: 'AWS::KMS::Key', Properties: {} } },
    },
  ],
  evaluate(logGroup, ctx) {
    const path = 'Properties/KmsKeyId';
    if (ctx.isPresent(logGroup.properties.KmsKeyId, path)) return pass();
    return fail(path, 'KmsKeyId is unset: log events are encrypted only with a service-owned key that cannot be scoped or revoked');
  },
});
