import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/cluster-private-endpoint';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-001 private API endpoint', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part. aws-eks-v2 renders a native
  // AWS::EKS::Cluster and needs no kubectl layer.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cluster', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const vpcSubnets = [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  const version = eks.KubernetesVersion.V1_34;
  new eks.Cluster(stack, 'Private', { vpc, vpcSubnets, version, endpointAccess: eks.EndpointAccess.PRIVATE });
  new eks.Cluster(stack, 'PublicDefault', { vpc, vpcSubnets, version });
  new eks.CfnCluster(stack, 'RawCfn', {
    roleArn: 'arn:aws:iam::111122223333:role/cluster',
    resourcesVpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) },
  });
  const overridden = new eks.Cluster(stack, 'Overridden', { vpc, vpcSubnets, version, endpointAccess: eks.EndpointAccess.PRIVATE });
  (overridden.node.defaultChild as eks.CfnCluster).addPropertyOverride('ResourcesVpcConfig.EndpointPublicAccess', true);
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an aws-eks-v2 cluster with EndpointAccess.PRIVATE', () => expect(verdictOf('Private')).toBe('pass'));
  it('fails the aws-eks-v2 default (public and private)', () => {
    expect(outcomesOnStack(rule, stack, 'PublicDefault')).toEqual([
      { status: 'fail', path: 'Properties/ResourcesVpcConfig/EndpointPublicAccess', message: expect.stringContaining('EndpointPublicAccess is true') },
    ]);
  });
  it('fails a raw CfnCluster relying on the CloudFormation defaults', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/ResourcesVpcConfig/EndpointPublicAccess', 'Properties/ResourcesVpcConfig/EndpointPrivateAccess',
    ]);
  });
  it('fails a private cluster made public with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/ResourcesVpcConfig/EndpointPublicAccess' }),
    ]);
  });
});
