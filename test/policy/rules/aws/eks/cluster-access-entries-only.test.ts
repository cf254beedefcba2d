import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/cluster-access-entries-only';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-013 access entries only, no implicit creator admin', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cluster', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const vpcSubnets = [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  const version = eks.KubernetesVersion.V1_35;
  new eks.Cluster(stack, 'NoCreatorAdmin', { vpc, vpcSubnets, version, bootstrapClusterCreatorAdminPermissions: false });
  new eks.Cluster(stack, 'Defaults', { vpc, vpcSubnets, version });
  new eks.CfnCluster(stack, 'RawCfn', {
    roleArn: 'arn:aws:iam::111122223333:role/cluster',
    resourcesVpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) },
  });
  const overridden = new eks.Cluster(stack, 'Overridden', { vpc, vpcSubnets, version, bootstrapClusterCreatorAdminPermissions: false });
  (overridden.node.defaultChild as eks.CfnCluster).addPropertyOverride('AccessConfig.AuthenticationMode', 'API_AND_CONFIG_MAP');
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an aws-eks-v2 cluster with bootstrapClusterCreatorAdminPermissions false', () => expect(verdictOf('NoCreatorAdmin')).toBe('pass'));
  it('fails the aws-eks-v2 default, which leaves the creator a hidden cluster admin', () => {
    expect(outcomesOnStack(rule, stack, 'Defaults')).toEqual([
      { status: 'fail', path: 'Properties/AccessConfig/BootstrapClusterCreatorAdminPermissions', message: expect.stringContaining('unset (default true)') },
    ]);
  });
  it('fails a raw CfnCluster on both counts', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/AccessConfig/AuthenticationMode', 'Properties/AccessConfig/BootstrapClusterCreatorAdminPermissions',
    ]);
  });
  it('fails a cluster switched to API_AND_CONFIG_MAP with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/AccessConfig/AuthenticationMode', message: expect.stringContaining('AuthenticationMode is API_AND_CONFIG_MAP') },
    ]);
  });
});
