import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const BASE = 'Properties/AccessConfig';
const cluster = (accessConfig?: Record<string, any>) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/cluster',
    Version: '1.35',
    ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], EndpointPublicAccess: false, EndpointPrivateAccess: true },
    ...(accessConfig === undefined ? {} : { AccessConfig: accessConfig }),
  },
});
const ACCESS_ENTRIES_ONLY = { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false };

/**
 * MLOPS-EKS-013: who may use the Kubernetes API is declared by access entries, and the principal that deploys the
 * stack does not become a hidden cluster administrator.
 *
 * What an access entry grants (which principal gets AmazonEKSClusterAdminPolicy) is not checked: whether a principal
 * is one of the organisation's named administrators is not knowable from the template.
 */
export default defineRule({
  id: 'MLOPS-EKS-013',
  title: 'EKS cluster access is granted by access entries only, with no implicit creator admin',
  resourceTypes: ['AWS::EKS::Cluster'],
  severity: 'high',
  themes: ['IAM'],
  acknowledgeable: true,
  rationale:
    'With BootstrapClusterCreatorAdminPermissions left at its default (true) the IAM principal that creates the ' +
    'cluster (the CloudFormation execution role, often AdministratorAccess and used by every pipeline) becomes a ' +
    'cluster administrator through an access entry that appears nowhere in the template. With AuthenticationMode ' +
    'CONFIG_MAP (the CloudFormation default) or API_AND_CONFIG_MAP, the aws-auth ConfigMap can grant system:masters ' +
    'from inside the cluster, outside IAM and CloudTrail. API mode leaves access entries, declared as ' +
    'AWS::EKS::AccessEntry resources, as the only way in.',
  fix:
    'On the aws-eks-v2 Cluster set bootstrapClusterCreatorAdminPermissions: false (aws-eks-v2 always uses API mode); in ' +
    'CloudFormation set AWS::EKS::Cluster AccessConfig {AuthenticationMode: API, BootstrapClusterCreatorAdminPermissions: false} ' +
    '(the latter forces replacement) and grant administrators with AWS::EKS::AccessEntry (cluster.grantAccess).',
  references: [
    'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
    'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html',
  ],
  scenarios: [
    { name: 'API mode, no creator admin', expect: 'pass', resource: cluster(ACCESS_ENTRIES_ONLY) },
    { name: 'no AccessConfig (CONFIG_MAP and creator admin)', expect: 'fail', resource: cluster() },
    { name: 'API mode with the creator admin default', expect: 'fail', resource: cluster({ AuthenticationMode: 'API' }) },
    { name: 'aws-auth ConfigMap still honoured', expect: 'fail', resource: cluster({ ...ACCESS_ENTRIES_ONLY, AuthenticationMode: 'API_AND_CONFIG_MAP' }) },
    { name: 'creator admin from a parameter', expect: 'unresolvable', resource: cluster({ ...ACCESS_ENTRIES_ONLY, BootstrapClusterCreatorAdminPermissions: { Ref: 'CreatorAdmin' } }) },
  ],
  evaluate(resource, ctx) {
    const access = ctx.literal(resource.properties.AccessConfig, BASE) ?? {};
    const outcomes: RuleOutcome[] = [];
    const mode = ctx.string(access.AuthenticationMode, `${BASE}/AuthenticationMode`);
    if (mode !== 'API') {
      outcomes.push(fail(
        `${BASE}/AuthenticationMode`,
        `AuthenticationMode is ${mode ?? 'unset (CloudFormation default CONFIG_MAP)'}: the aws-auth ConfigMap can grant cluster access outside IAM and the template`,
      ));
    }
    const creatorAdmin = ctx.bool(access.BootstrapClusterCreatorAdminPermissions, `${BASE}/BootstrapClusterCreatorAdminPermissions`);
    if (creatorAdmin !== false) {
      outcomes.push(fail(
        `${BASE}/BootstrapClusterCreatorAdminPermissions`,
        `BootstrapClusterCreatorAdminPermissions is ${creatorAdmin === true ? 'true' : 'unset (default true)'}: the principal that creates the cluster becomes a cluster administrator the template does not show`,
      ));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
