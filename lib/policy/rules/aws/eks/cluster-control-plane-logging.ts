import { defineRule, fail, pass } from '../../../rule';

const PATH = 'Properties/Logging/ClusterLogging/EnabledTypes';
const ALL_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const cluster = (types?: unknown) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/cluster',
    Version: '1.34',
    ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], EndpointPublicAccess: false, EndpointPrivateAccess: true },
    ...(types === undefined ? {} : { Logging: { ClusterLogging: { EnabledTypes: types } } }),
  },
});

/** MLOPS-EKS-003: every control-plane log type is sent to CloudWatch Logs. */
export default defineRule({
  id: 'MLOPS-EKS-003',
  title: 'EKS cluster exports all five control-plane log types',
  resourceTypes: ['AWS::EKS::Cluster'],
  severity: 'medium',
  themes: ['LOG'],
  acknowledgeable: true,
  rationale:
    'The audit log is the record of who did what through the Kubernetes API (reading Secrets, changing deployments, ' +
    'exec into pods); api, authenticator, controllerManager and scheduler logs explain access decisions and cluster ' +
    'behaviour during an incident. EKS keeps none of them unless they are exported.',
  fix:
    'Set clusterLogging: [API, AUDIT, AUTHENTICATOR, CONTROLLER_MANAGER, SCHEDULER] (eks.ClusterLoggingTypes) on the ' +
    'aws-eks-v2 Cluster (CloudFormation AWS::EKS::Cluster Logging.ClusterLogging.EnabledTypes[].Type: api, audit, ' +
    'authenticator, controllerManager, scheduler).',
  references: [
    'AWS Config eks-cluster-logging-enabled',
    'cdk-nag AwsSolutions-EKS2',
    'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
  ],
  scenarios: [
    { name: 'all five log types', expect: 'pass', resource: cluster(ALL_TYPES.map((Type) => ({ Type }))) },
    { name: 'no logging', expect: 'fail', resource: cluster() },
    { name: 'api and audit only', expect: 'fail', resource: cluster([{ Type: 'api' }, { Type: 'audit' }]) },
    { name: 'log types from a parameter', expect: 'unresolvable', resource: cluster({ Ref: 'LogTypes' }) },
  ],
  evaluate(resource, ctx) {
    const logging = ctx.literal(resource.properties.Logging, 'Properties/Logging') ?? {};
    const clusterLogging = ctx.literal(logging.ClusterLogging, 'Properties/Logging/ClusterLogging') ?? {};
    const enabled = (ctx.array(clusterLogging.EnabledTypes, PATH) ?? []).map((item, i) => {
      const entry = ctx.literal(item, `${PATH}/${i}`) ?? {};
      return ctx.string(entry.Type, `${PATH}/${i}/Type`);
    });
    const missing = ALL_TYPES.filter((type) => !enabled.includes(type));
    if (missing.length === 0) return pass();
    return fail(PATH, `control-plane log types not enabled: ${missing.join(', ')}`);
  },
});
