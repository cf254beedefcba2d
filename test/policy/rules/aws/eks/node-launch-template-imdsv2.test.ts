import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/node-launch-template-imdsv2';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-010 node launch templates require IMDSv2 with hop limit 1', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'nodes', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    vpc, vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], version: eks.KubernetesVersion.V1_35,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0,
  });
  const nodes = (id: string, template?: ec2.LaunchTemplate | ec2.CfnLaunchTemplate) => cluster.addNodegroupCapacity(id, {
    amiType: eks.NodegroupAmiType.BOTTLEROCKET_X86_64,
    launchTemplateSpec: template instanceof ec2.LaunchTemplate ? { id: template.launchTemplateId! }
      : template ? { id: template.ref } : undefined,
  });
  nodes('Compliant', new ec2.LaunchTemplate(stack, 'CompliantTemplate', { requireImdsv2: true, httpPutResponseHopLimit: 1 }));
  nodes('TwoHops', new ec2.LaunchTemplate(stack, 'TwoHopsTemplate', { requireImdsv2: true, httpPutResponseHopLimit: 2 }));
  nodes('RawTemplate', new ec2.CfnLaunchTemplate(stack, 'RawCfnTemplate', { launchTemplateData: { metadataOptions: { httpTokens: 'optional' } } }));
  const overridden = new ec2.LaunchTemplate(stack, 'OverriddenTemplate', { requireImdsv2: true, httpPutResponseHopLimit: 1 });
  (overridden.node.defaultChild as ec2.CfnLaunchTemplate).addPropertyOverride('LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit', 3);
  nodes('Overridden', overridden);
  nodes('NoTemplate');
  new ec2.LaunchTemplate(stack, 'UnusedTemplate', {});
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an ec2.LaunchTemplate with requireImdsv2 and hop limit 1, and the node group using it', () => {
    expect(verdictOf('CompliantTemplate')).toBe('pass');
    expect(verdictOf('ClusterNodegroupCompliant')).toBe('pass');
  });
  it('fails a launch template with a hop limit of 2', () => {
    expect(outcomesOnStack(rule, stack, 'TwoHopsTemplate')).toEqual([
      { status: 'fail', path: 'Properties/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', message: expect.stringContaining('HttpPutResponseHopLimit is 2') },
    ]);
  });
  it('fails a raw CfnLaunchTemplate allowing IMDSv1 without a hop limit, on both counts', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfnTemplate').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/LaunchTemplateData/MetadataOptions/HttpTokens', 'Properties/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit',
    ]);
  });
  it('fails a compliant launch template whose hop limit is raised with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'OverriddenTemplate')).toEqual([
      expect.objectContaining({ status: 'fail', message: expect.stringContaining('HttpPutResponseHopLimit is 3') }),
    ]);
  });
  it('fails a node group without a launch template', () => {
    expect(outcomesOnStack(rule, stack, 'ClusterNodegroupNoTemplate')).toEqual([
      { status: 'fail', path: 'Properties/LaunchTemplate', message: expect.stringContaining('the node group has no launch template') },
    ]);
  });
  it('does not judge a launch template no node group uses', () => expect(verdictOf('UnusedTemplate')).toBe('not-applicable'));
});
