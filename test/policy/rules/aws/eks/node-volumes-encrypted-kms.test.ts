import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/eks/node-volumes-encrypted-kms';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-012 node volumes encrypted with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  it('may not be acknowledged (encryption at rest)', () => expect(rule.acknowledgeable).toBe(false));

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'nodes', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    vpc, vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], version: eks.KubernetesVersion.V1_35,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  const key = new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true });
  const volume = (size?: number) => ec2.BlockDeviceVolume.ebs(size ?? 20, { encrypted: true, kmsKey: key, volumeType: ec2.EbsDeviceVolumeType.GP3 });
  const nodes = (id: string, amiType: eks.NodegroupAmiType, template?: ec2.LaunchTemplate) => cluster.addNodegroupCapacity(id, {
    amiType, launchTemplateSpec: template ? { id: template.launchTemplateId! } : undefined,
  });
  nodes('Bottlerocket', eks.NodegroupAmiType.BOTTLEROCKET_X86_64, new ec2.LaunchTemplate(stack, 'BottlerocketTemplate', {
    blockDevices: [{ deviceName: '/dev/xvda', volume: volume(4) }, { deviceName: '/dev/xvdb', volume: volume(100) }],
  }));
  nodes('DataOnly', eks.NodegroupAmiType.BOTTLEROCKET_X86_64, new ec2.LaunchTemplate(stack, 'DataOnlyTemplate', {
    blockDevices: [{ deviceName: '/dev/xvdb', volume: volume(100) }],
  }));
  nodes('AwsManagedKey', eks.NodegroupAmiType.AL2023_X86_64_STANDARD, new ec2.LaunchTemplate(stack, 'AwsManagedKeyTemplate', {
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true }) }],
  }));
  const overridden = new ec2.LaunchTemplate(stack, 'OverriddenTemplate', { blockDevices: [{ deviceName: '/dev/xvda', volume: volume(100) }] });
  (overridden.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.BlockDeviceMappings.0.Ebs.Encrypted', false);
  nodes('Overridden', eks.NodegroupAmiType.AL2023_X86_64_STANDARD, overridden);
  nodes('NoTemplate', eks.NodegroupAmiType.AL2023_X86_64_STANDARD);
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a Bottlerocket launch template mapping the OS and data volumes with a key, and its node group', () => {
    expect(verdictOf('BottlerocketTemplate')).toBe('pass');
    expect(verdictOf('ClusterNodegroupBottlerocket')).toBe('pass');
  });
  it('fails a Bottlerocket launch template that leaves the OS volume to the AMI snapshot', () => {
    expect(outcomesOnStack(rule, stack, 'DataOnlyTemplate')).toEqual([
      { status: 'fail', path: 'Properties/LaunchTemplateData/BlockDeviceMappings', message: expect.stringContaining('/dev/xvda is not mapped') },
    ]);
  });
  it('fails a volume encrypted with the AWS managed key', () => {
    expect(outcomesOnStack(rule, stack, 'AwsManagedKeyTemplate')).toEqual([
      { status: 'fail', path: 'Properties/LaunchTemplateData/BlockDeviceMappings/0/Ebs/KmsKeyId', message: expect.stringContaining('/dev/xvda has no KmsKeyId') },
    ]);
  });
  it('fails an encrypted volume switched off with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'OverriddenTemplate')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/LaunchTemplateData/BlockDeviceMappings/0/Ebs/Encrypted' }),
    ]);
  });
  it('fails a node group without a launch template', () => expect(verdictOf('ClusterNodegroupNoTemplate')).toBe('fail'));
});
