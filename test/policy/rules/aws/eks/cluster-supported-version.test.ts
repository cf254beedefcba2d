import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/cluster-supported-version';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-004 supported Kubernetes version', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part. Dates are explicit: the verdict
  // depends on the synth date.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cluster', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const vpcSubnets = [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  new eks.Cluster(stack, 'Current', { vpc, vpcSubnets, version: eks.KubernetesVersion.V1_34 });
  new eks.Cluster(stack, 'Extended', { vpc, vpcSubnets, version: eks.KubernetesVersion.V1_32 });
  new eks.Cluster(stack, 'Outdated', { vpc, vpcSubnets, version: eks.KubernetesVersion.V1_29 });
  new eks.CfnCluster(stack, 'RawCfn', {
    roleArn: 'arn:aws:iam::111122223333:role/cluster',
    resourcesVpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) },
  });
  const overridden = new eks.Cluster(stack, 'Overridden', { vpc, vpcSubnets, version: eks.KubernetesVersion.V1_34 });
  (overridden.node.defaultChild as eks.CfnCluster).addPropertyOverride('Version', '1.28');
  const verdictsOn = (now: string) => {
    const verdicts = Object.entries(verdictsOnStack(rule, stack, now));
    return (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];
  };

  it('passes a version in standard support and one in extended support, with a note', () => {
    const verdictOf = verdictsOn('2026-11-26');
    expect(verdictOf('Current')).toBe('pass');
    expect(verdictOf('Extended')).toBe('pass');
    expect(outcomesOnStack(rule, stack, 'Extended', '2026-11-26')).toEqual([
      { status: 'pass', note: expect.stringContaining('1.32 is in EKS extended support until 2027-03-23') },
    ]);
  });
  it('fails a version past extended support', () => {
    expect(outcomesOnStack(rule, stack, 'Outdated', '2026-11-26')).toEqual([
      { status: 'fail', path: 'Properties/Version', message: expect.stringContaining('extended support ended on 2026-03-23') },
    ]);
  });
  it('follows the synth date: 1.32 passes in 2026 and fails after 2027-03-23', () => {
    expect(verdictsOn('2027-03-23')('Extended')).toBe('pass');
    expect(verdictsOn('2027-03-24')('Extended')).toBe('fail');
  });
  it('passes a raw CfnCluster without Version, with a note', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([{ status: 'pass', note: expect.stringContaining('Version is unset') }]);
  });
  it('fails a current cluster downgraded with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden', '2026-11-26')).toEqual([
      { status: 'fail', path: 'Properties/Version', message: expect.stringContaining('1.28 is out of support') },
    ]);
  });
});
