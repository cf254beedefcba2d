import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/nodegroup-no-al2-ami';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-011 no Amazon Linux 2 node AMIs', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'nodes', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    vpc, vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], version: eks.KubernetesVersion.V1_35,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  const g5 = [new ec2.InstanceType('g5.xlarge')];
  cluster.addNodegroupCapacity('Bottlerocket', { instanceTypes: g5, amiType: eks.NodegroupAmiType.BOTTLEROCKET_X86_64_NVIDIA });
  cluster.addNodegroupCapacity('GpuDefault', { instanceTypes: g5 });
  new eks.CfnNodegroup(stack, 'RawCfn', {
    clusterName: cluster.clusterName, nodeRole: 'arn:aws:iam::111122223333:role/nodes', subnets: vpc.isolatedSubnets.map((s) => s.subnetId),
  });
  const overridden = cluster.addNodegroupCapacity('Overridden', { instanceTypes: g5, amiType: eks.NodegroupAmiType.AL2023_X86_64_NVIDIA });
  (overridden.node.defaultChild as eks.CfnNodegroup).addPropertyOverride('AmiType', 'AL2_x86_64_GPU');
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a GPU node group with the Bottlerocket NVIDIA AMI', () => expect(verdictOf('ClusterNodegroupBottlerocket')).toBe('pass'));
  it('fails a GPU node group left to the CDK default, which is AL2', () => {
    expect(outcomesOnStack(rule, stack, 'ClusterNodegroupGpuDefault')).toEqual([
      { status: 'fail', path: 'Properties/AmiType', message: expect.stringContaining('AmiType is AL2_x86_64_GPU') },
    ]);
  });
  it('fails a raw CfnNodegroup without AmiType', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([{ status: 'fail', path: 'Properties/AmiType', message: expect.stringContaining('AmiType is unset') }]);
  });
  it('fails an AL2023 node group switched to AL2 with addPropertyOverride (reads the rendered template)', () => {
    expect(verdictOf('ClusterNodegroupOverridden')).toBe('fail');
  });
});
