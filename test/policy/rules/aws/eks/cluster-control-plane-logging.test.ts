import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import rule from '../../../../../lib/policy/rules/aws/eks/cluster-control-plane-logging';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-EKS-003 all five control-plane log types', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'cluster', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const vpcSubnets = [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
  const version = eks.KubernetesVersion.V1_34;
  const all = [
    eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
    eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
  ];
  new eks.Cluster(stack, 'AllLogs', { vpc, vpcSubnets, version, clusterLogging: all });
  new eks.Cluster(stack, 'AuditOnly', { vpc, vpcSubnets, version, clusterLogging: [eks.ClusterLoggingTypes.AUDIT] });
  new eks.CfnCluster(stack, 'RawCfn', {
    roleArn: 'arn:aws:iam::111122223333:role/cluster',
    resourcesVpcConfig: { subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) },
  });
  const overridden = new eks.Cluster(stack, 'Overridden', { vpc, vpcSubnets, version, clusterLogging: all });
  (overridden.node.defaultChild as eks.CfnCluster).addPropertyOverride('Logging.ClusterLogging.EnabledTypes', [{ Type: 'api' }, { Type: 'audit' }]);
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an aws-eks-v2 cluster with all five log types', () => expect(verdictOf('AllLogs')).toBe('pass'));
  it('fails a cluster with the audit log only, naming the missing types', () => {
    expect(outcomesOnStack(rule, stack, 'AuditOnly')).toEqual([
      {
        status: 'fail',
        path: 'Properties/Logging/ClusterLogging/EnabledTypes',
        message: 'control-plane log types not enabled: api, authenticator, controllerManager, scheduler',
      },
    ]);
  });
  it('fails a raw CfnCluster without logging', () => expect(verdictOf('RawCfn')).toBe('fail'));
  it('fails a cluster whose log types are cut with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', message: 'control-plane log types not enabled: authenticator, controllerManager, scheduler' }),
    ]);
  });
});
