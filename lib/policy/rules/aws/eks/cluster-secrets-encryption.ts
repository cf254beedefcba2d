import { defineRule, fail, pass } from '../../../rule';

const BASE = 'Properties/EncryptionConfig';
const cluster = (extra: Record<string, any>) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/cluster',
    Version: '1.34',
    ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], EndpointPublicAccess: false, EndpointPrivateAccess: true },
    ...extra,
  },
});
const KEY = { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } };

/** MLOPS-EKS-002: Kubernetes Secrets are envelope-encrypted with a customer-managed key. */
export default defineRule({
  id: 'MLOPS-EKS-002',
  title: 'EKS cluster envelope-encrypts Kubernetes Secrets with a customer-managed KMS key',
  resourceTypes: ['AWS::EKS::Cluster'],
  severity: 'high',
  themes: ['ENC'],
  acknowledgeable: false,
  rationale:
    'Secrets hold registry credentials, database passwords and API tokens. Envelope encryption with a customer-managed ' +
    'key adds a layer over the etcd volume encryption: reading a Secret from an etcd backup or snapshot needs the key, ' +
    'whose use is logged in CloudTrail and can be revoked.',
  fix:
    'Set secretsEncryptionKey: <your kms.Key> on the aws-eks-v2 Cluster (CloudFormation AWS::EKS::Cluster ' +
    'EncryptionConfig: [{Resources: [secrets], Provider: {KeyArn}}]).',
  references: [
    'AWS Config eks-secrets-encrypted',
    'AWS Config eks-cluster-secrets-encrypted',
    'Control Tower CT.EKS.PR.2',
    'https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html',
  ],
  scenarios: [
    {
      name: 'secrets encrypted with a key of the template',
      expect: 'pass',
      resource: cluster({ EncryptionConfig: [{ Resources: ['secrets'], Provider: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] }),
      others: KEY,
    },
    { name: 'no EncryptionConfig', expect: 'fail', resource: cluster({}) },
    {
      name: 'encryption config without secrets',
      expect: 'fail',
      resource: cluster({ EncryptionConfig: [{ Resources: [], Provider: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] }),
      others: KEY,
    },
    { name: 'secrets without a key', expect: 'fail', resource: cluster({ EncryptionConfig: [{ Resources: ['secrets'], Provider: {} }] }) },
    {
      name: 'resources from a parameter',
      expect: 'unresolvable',
      resource: cluster({ EncryptionConfig: [{ Resources: { Ref: 'EncryptedResources' }, Provider: { KeyArn: { 'Fn::GetAtt': ['Key', 'Arn'] } } }] }),
      others: KEY,
    },
  ],
  evaluate(resource, ctx) {
    const configs = ctx.array(resource.properties.EncryptionConfig, BASE) ?? [];
    if (configs.length === 0) return fail(BASE, 'EncryptionConfig is not set: Secrets are stored in etcd without envelope encryption');
    for (const [i, item] of configs.entries()) {
      const path = `${BASE}/${i}`;
      const config = ctx.literal(item, path) ?? {};
      const resources = (ctx.array(config.Resources, `${path}/Resources`) ?? []).map((r, j) => ctx.string(r, `${path}/Resources/${j}`));
      if (!resources.includes('secrets')) continue;
      const provider = ctx.literal(config.Provider, `${path}/Provider`) ?? {};
      if (!ctx.isPresent(provider.KeyArn, `${path}/Provider/KeyArn`)) {
        return fail(`${path}/Provider/KeyArn`, 'Provider.KeyArn is not set: Secrets have no KMS key for envelope encryption');
      }
      return pass();
    }
    return fail(BASE, 'no EncryptionConfig entry lists "secrets" in Resources: Secrets are not envelope-encrypted');
  },
});
