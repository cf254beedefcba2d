import { defineRule, fail, pass } from '../../../rule';

/** MLOPS-ECR-001: repositories encrypt images with a customer-managed KMS key. */
export default defineRule({
  id: 'MLOPS-ECR-001',
  title: 'ECR repository encrypts images with a customer-managed KMS key',
  resourceTypes: ['AWS::ECR::Repository'],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Model serving images often embed model weights trained on regulated data. The default AES256 encryption and ' +
    'the AWS-managed aws/ecr key cannot be scoped to the pipeline that builds and the endpoints that pull the ' +
    'images, nor revoked or audited per purpose; a customer-managed key can.',
  fix:
    'Set encryption: ecr.RepositoryEncryption.KMS with encryptionKey: <your kms.Key> on ecr.Repository ' +
    '(EncryptionConfiguration {EncryptionType: KMS or KMS_DSSE, KmsKey}). The property is create-only: changing it ' +
    'replaces the repository, so push the images again.',
  references: [
    'AWS Config ecr-repository-cmk-encryption-enabled',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html',
  ],
  scenarios: [
    {
      name: 'KMS with a key of the template',
      expect: 'pass',
      resource: { Type: 'AWS::ECR::Repository', Properties: { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': ['Key', 'Arn'] } } } },
      others: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    },
    {
      name: 'dual-layer KMS with a key ARN',
      expect: 'pass',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: { EncryptionConfiguration: { EncryptionType: 'KMS_DSSE', KmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
      },
    },
    { name: 'no encryption configuration (AES256)', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: {} } },
    { name: 'AES256', expect: 'fail', resource: { Type: 'AWS::ECR::Repository', Properties: { EncryptionConfiguration: { EncryptionType: 'AES256' } } } },
    {
      name: 'KMS without KmsKey (AWS-managed aws/ecr key)',
      expect: 'fail',
      resource: { Type: 'AWS::ECR::Repository', Properties: { EncryptionConfiguration: { EncryptionType: 'KMS' } } },
    },
    {
      name: 'KMS with the alias aws/ecr',
      expect: 'fail',
      resource: { Type: 'AWS::ECR::Repository', Properties: { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: 'alias/aws/ecr' } } },
    },
    {
      name: 'key chosen by a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::ECR::Repository', Properties: { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { Ref: 'ImageKey' } } } },
    },
  ],
  evaluate(repository, ctx) {
    const base = 'Properties/EncryptionConfiguration';
    const config = repository.properties.EncryptionConfiguration;
    if (!ctx.isPresent(config, base)) {
      return fail(base, 'the repository has no EncryptionConfiguration, so ECR uses AES256 with Amazon S3-managed keys');
    }
    const type = ctx.string(config.EncryptionType, `${base}/EncryptionType`);
    if (type !== 'KMS' && type !== 'KMS_DSSE') {
      return fail(`${base}/EncryptionType`, `EncryptionType is ${type ?? 'unset'}, not KMS or KMS_DSSE`);
    }
    if (!ctx.isPresent(config.KmsKey, `${base}/KmsKey`)) {
      return fail(`${base}/KmsKey`, `EncryptionType ${type} without KmsKey uses the AWS-managed aws/ecr key`);
    }
    const keyId = ctx.locate(config.KmsKey) ? undefined : ctx.string(config.KmsKey, `${base}/KmsKey`);
    if (keyId !== undefined && /alias\/aws\//.test(keyId)) {
      return fail(`${base}/KmsKey`, `${keyId} is an AWS-managed key, not a customer-managed one`);
    }
    return pass();
  },
});
