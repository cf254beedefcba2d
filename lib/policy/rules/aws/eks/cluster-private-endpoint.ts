import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const BASE = 'Properties/ResourcesVpcConfig';
const cluster = (vpcConfig: Record<string, any>) => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::111122223333:role/cluster',
    Version: '1.34',
    ResourcesVpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'], ...vpcConfig },
  },
});

/** MLOPS-EKS-001: the Kubernetes API server is reachable only from the VPC. */
export default defineRule({
  id: 'MLOPS-EKS-001',
  title: 'EKS cluster API endpoint is private only',
  resourceTypes: ['AWS::EKS::Cluster'],
  severity: 'high',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'A public API endpoint exposes the cluster control plane to the internet, where credential theft or an API server ' +
    'vulnerability is enough to reach workloads and their secrets. A private endpoint keeps kubectl and node traffic ' +
    'inside the VPC, behind its security groups and flow logs.',
  fix:
    'Set endpointAccess: eks.EndpointAccess.PRIVATE on the aws-eks-v2 Cluster (CloudFormation AWS::EKS::Cluster ' +
    'ResourcesVpcConfig.EndpointPublicAccess: false and EndpointPrivateAccess: true); reach the API through the VPC ' +
    '(VPN, Direct Connect, a bastion or SSM).',
  references: [
    'AWS Config eks-endpoint-no-public-access',
    'Control Tower CT.EKS.PR.1',
    'cdk-nag AwsSolutions-EKS1',
    'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  ],
  scenarios: [
    { name: 'private endpoint only', expect: 'pass', resource: cluster({ EndpointPublicAccess: false, EndpointPrivateAccess: true }) },
    { name: 'defaults (public on, private off)', expect: 'fail', resource: cluster({}) },
    {
      name: 'public and private, public restricted to a CIDR',
      expect: 'fail',
      resource: cluster({ EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] }),
    },
    { name: 'public off but private off too', expect: 'fail', resource: cluster({ EndpointPublicAccess: false }) },
    { name: 'public access from a parameter', expect: 'unresolvable', resource: cluster({ EndpointPublicAccess: { Ref: 'Public' }, EndpointPrivateAccess: true }) },
  ],
  evaluate(resource, ctx) {
    const vpc = ctx.literal(resource.properties.ResourcesVpcConfig, BASE) ?? {};
    const outcomes: RuleOutcome[] = [];
    const publicAccess = ctx.bool(vpc.EndpointPublicAccess, `${BASE}/EndpointPublicAccess`);
    if (publicAccess !== false) {
      outcomes.push(
        fail(
          `${BASE}/EndpointPublicAccess`,
          `EndpointPublicAccess is ${publicAccess === true ? 'true' : 'unset (CloudFormation default true)'}: the Kubernetes API is reachable from the internet`,
        ),
      );
    }
    const privateAccess = ctx.bool(vpc.EndpointPrivateAccess, `${BASE}/EndpointPrivateAccess`);
    if (privateAccess !== true) {
      outcomes.push(
        fail(
          `${BASE}/EndpointPrivateAccess`,
          `EndpointPrivateAccess is ${privateAccess === false ? 'false' : 'unset (default false)'}: nodes and kubectl in the VPC cannot reach the API privately`,
        ),
      );
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
