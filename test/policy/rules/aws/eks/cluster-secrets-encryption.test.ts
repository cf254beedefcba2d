import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/eks/cluster-secrets-encryption';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-002 secrets envelope encryption', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W9009',
    reason: 'the CloudFormation schema marks EncryptionConfig.Resources deprecated, yet it is how aws-eks-v2 renders secrets encryption',
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cluster', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const vpcSubnets = [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  const key = new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true });
  const version = eks.KubernetesVersion.V1_34;
  new eks.Cluster(stack, 'Encrypted', { vpc, vpcSubnets, version, secretsEncryptionKey: key });
  new eks.Cluster(stack, 'Unencrypted', { vpc, vpcSubnets, version });
  new eks.CfnCluster(stack, 'RawCfn', {
    roleArn: 'arn:aws:iam::111122223333:role/cluster',
    resourcesVpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) },
    encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: key.keyArn } }],
  });
  const overridden = new eks.Cluster(stack, 'Overridden', { vpc, vpcSubnets, version, secretsEncryptionKey: key });
  (overridden.node.defaultChild as eks.CfnCluster).addPropertyDeletionOverride('EncryptionConfig.0.Provider.KeyArn');
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an aws-eks-v2 cluster with secretsEncryptionKey and a raw CfnCluster with a key', () => {
    expect(verdictOf('Encrypted')).toBe('pass');
    expect(verdictOf('RawCfn')).toBe('pass');
  });
  it('fails an aws-eks-v2 cluster without secretsEncryptionKey', () => {
    expect(outcomesOnStack(rule, stack, 'Unencrypted')).toEqual([{ status: 'fail', path: 'Properties/EncryptionConfig', message: expect.any(String) }]);
  });
  it('fails an encrypted cluster whose key is deleted with an override (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/EncryptionConfig/0/Provider/KeyArn', message: expect.stringContaining('KeyArn is not set') },
    ]);
  });
});
