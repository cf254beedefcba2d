import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { DEFAULT_INTERFACE_ENDPOINTS, PrivateNetwork, PrivateNetworkProps } from '../../../constructs/security/private-network';
import defaultSecurityGroupRestricted from '../../../lib/policy/rules/aws/ec2/default-security-group-restricted';
import endpointPolicyRestrictsPrincipals from '../../../lib/policy/rules/aws/ec2/endpoint-policy-restricts-principals';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

// One network with default props (and one workload security group) for every default and compliance test.
const stack = new Stack(new App(), 'Network');
const network = new PrivateNetwork(stack, 'Network');
const modelSg = network.securityGroupFor('ModelSecurityGroup', 'SageMaker model containers');
const template = Template.fromStack(stack);
const id = (construct: { node: { defaultChild?: unknown } } | undefined) => stack.getLogicalId(construct?.node.defaultChild as never);
const vpcId = id(network.vpc as ec2.Vpc);
const endpointSgId = id(network.endpointSecurityGroup as ec2.SecurityGroup);
const endpointSg = { 'Fn::GetAtt': [endpointSgId, 'GroupId'] };
const account = { Ref: 'AWS::AccountId' };
const ownAccount = {
  Sid: 'OnlyPrincipalsOfThisAccount', Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalAccount': account } },
};
const endpointOf = (service: string) => Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint'))
  .find((r) => JSON.stringify(r.Properties.ServiceName).endsWith(`.${service}"]]}`));

describe('PrivateNetwork defaults', () => {
  test('has isolated subnets only: no internet gateway, no NAT, no route out', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false, CidrBlock: Match.stringLikeRegexp('^10\\.0\\.') }, 2);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
  });

  test('spans two availability zones of a 10.0.0.0/16 block', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
  });

  test('has an interface endpoint with private DNS in the isolated subnets for each default service', () => {
    template.resourceCountIs('AWS::EC2::VPCEndpoint', DEFAULT_INTERFACE_ENDPOINTS.length + 1);
    for (const service of DEFAULT_INTERFACE_ENDPOINTS) {
      expect(endpointOf(service)?.Properties).toMatchObject({
        VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SecurityGroupIds: [endpointSg],
        SubnetIds: network.vpc.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
      });
    }
    expect(Object.keys(network.interfaceEndpoints)).toEqual([...DEFAULT_INTERFACE_ENDPOINTS]);
  });

  test('admits only principals of this account through each interface endpoint', () => {
    for (const service of DEFAULT_INTERFACE_ENDPOINTS.filter((s) => s !== 'sts')) {
      expect(endpointOf(service).Properties.PolicyDocument.Statement).toEqual([ownAccount]);
    }
  });

  test('admits web identity and SAML federation into roles of this account only through the STS endpoint', () => {
    expect(endpointOf('sts').Properties.PolicyDocument.Statement).toEqual([ownAccount, {
      Sid: 'FederationIntoRolesOfThisAccount', Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', account, ':role/*']] },
    }]);
  });

  test('routes S3 through a gateway endpoint that admits this account, the ECR layer bucket and custom-resource responses', () => {
    expect(endpointOf('s3').Properties).toMatchObject({
      VpcEndpointType: 'Gateway',
      RouteTableIds: network.vpc.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId)),
      PolicyDocument: {
        Statement: [ownAccount, {
          Sid: 'EcrImageLayers', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']] },
        }, {
          Sid: 'CloudFormationCustomResourceResponses', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-', { Ref: 'AWS::Region' }, '*/*']] },
        }],
      },
    });
  });

  test('lets only HTTPS from the VPC reach the endpoints, and nothing leave them', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: { Ref: vpcId },
      SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
  });

  test('empties the default security group', () => {
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', { DefaultSecurityGroupId: { 'Fn::GetAtt': [vpcId, 'DefaultSecurityGroup'] } });
  });

  test('records all traffic in a flow log to a log group under the LOGS key, kept a year', () => {
    const keyId = stack.getLogicalId(network.node.findChild('Keys').node.findChild('Logs').node.defaultChild as never);
    const logGroupId = id(network.flowLogGroup as logs.LogGroup);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC', ResourceId: { Ref: vpcId }, TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: logGroupId },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 }, DeletionPolicy: 'Retain',
    });
  });

  test('delivers flow logs with a role only flow logs of this account can assume, through a managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', account, ':vpc-flow-log/*']] } },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [id(network.flowLogGroup as logs.LogGroup), 'Arn'] } }] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('securityGroupFor creates a group whose only egress is HTTPS to the endpoints', () => {
    const sgId = stack.getLogicalId(modelSg.node.defaultChild as never);
    expect(template.toJSON().Resources[sgId].Properties).toEqual({ GroupDescription: 'SageMaker model containers', VpcId: { Ref: vpcId } });
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupEgress', { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } }, 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] }, DestinationSecurityGroupId: endpointSg, IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
    });
  });
});

describe('PrivateNetwork props', () => {
  const app = new App();
  const egressStack = new Stack(app, 'Egress');
  const keys = new KeyRing(egressStack, 'Keys');
  const egress = new PrivateNetwork(egressStack, 'Network', {
    allowInternetEgress: true, maxAzs: 3, cidr: '10.20.0.0/16', interfaceEndpoints: ['sagemaker.runtime', 'logs'],
    s3GatewayEndpoint: false, keys, flowLogRetention: logs.RetentionDays.TWO_YEARS,
  });
  const byo = new Stack(app, 'SharedVpc');
  const VPC = 'vpc-0123456789abcdef0';
  const SUBNETS = ['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'];
  const ROUTE_TABLES = ['rtb-0123456789abcdef1', 'rtb-0123456789abcdef2'];
  const shared = ec2.Vpc.fromVpcAttributes(byo, 'Shared', {
    vpcId: VPC, vpcCidrBlock: '172.16.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], isolatedSubnetIds: SUBNETS, isolatedSubnetRouteTableIds: ROUTE_TABLES,
  });
  const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  new PrivateNetwork(byo, 'Network', { vpc: shared, interfaceEndpoints: ['sagemaker.runtime'], flowLogKey: kms.Key.fromKeyArn(byo, 'LogsKey', keyArn) });
  const egressTemplate = Template.fromStack(egressStack);
  const byoTemplate = Template.fromStack(byo);

  test('allowInternetEgress adds public subnets without public IPs, NAT gateways and egress subnets; maxAzs and cidr shape them', () => {
    egressTemplate.resourceCountIs('AWS::EC2::InternetGateway', 1);
    egressTemplate.resourceCountIs('AWS::EC2::NatGateway', egress.vpc.publicSubnets.length);
    egressTemplate.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    egressTemplate.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true }, 0);
    expect(egress.vpc.isolatedSubnets.length).toBe(egress.vpc.privateSubnets.length);
    expect(egress.vpc.isolatedSubnets.length).toBe(egress.vpc.availabilityZones.length);
  });

  test('interfaceEndpoints and s3GatewayEndpoint choose the endpoints', () => {
    egressTemplate.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    egressTemplate.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 0);
  });

  test('keys supplies the flow log key; flowLogRetention the retention', () => {
    egressTemplate.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [egressStack.getLogicalId(keys.key(KeyPurpose.LOGS).node.defaultChild as never), 'Arn'] }, RetentionInDays: 731,
    });
    egressTemplate.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('vpc adds endpoints and a flow log to an existing VPC, and creates no VPC', () => {
    byoTemplate.resourceCountIs('AWS::EC2::VPC', 0);
    byoTemplate.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
    byoTemplate.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcId: VPC, SubnetIds: SUBNETS, VpcEndpointType: 'Interface' });
    byoTemplate.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcId: VPC, RouteTableIds: ROUTE_TABLES, VpcEndpointType: 'Gateway' });
    byoTemplate.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '172.16.0.0/16', FromPort: 443 })] });
    byoTemplate.hasResourceProperties('AWS::EC2::FlowLog', { ResourceId: VPC, TrafficType: 'ALL' });
  });

  test('flowLogKey encrypts the flow log group', () => {
    byoTemplate.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 365 });
    byoTemplate.resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('PrivateNetwork validation', () => {
  const build = (props: PrivateNetworkProps) => () => new PrivateNetwork(new Stack(new App(), 'Bad'), 'Network', props);

  test('fails if a VPC is passed together with props that describe a new one, listing each', () => {
    const s = new Stack(new App(), 'Bad');
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef1'] });
    const error = errorOf(() => new PrivateNetwork(s, 'Network', { vpc, maxAzs: 3, cidr: '10.1.0.0/16', allowInternetEgress: true }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.problems.map((p) => p.path)).toEqual(['Bad/Network:maxAzs', 'Bad/Network:cidr', 'Bad/Network:allowInternetEgress']);
    expect(error.message).toContain('Bad/Network:cidr: received \'10.1.0.0/16\'; allowed: nothing when vpc is given (it describes a new VPC). Fix: remove cidr, or remove vpc to create one');
  });

  test('fails if maxAzs is outside 2 to 6 or not whole', () => {
    for (const maxAzs of [1, 7, 2.5]) {
      const error = errorOf(build({ maxAzs }));
      expect(error.code).toBe('InvalidConfiguration');
      expect(error.message).toContain(`Bad/Network:maxAzs: received ${maxAzs}; allowed: a whole number from 2 to 6. Fix: use 2`);
    }
  });

  test('fails if cidr is not an IPv4 block of /16 to /24', () => {
    for (const cidr of ['10.0.0.0/8', '10.0.0.0/25', 'not-a-cidr', '300.0.0.0/16']) {
      expect(errorOf(build({ cidr })).message).toContain(`Bad/Network:cidr: received '${cidr}'; allowed: an IPv4 CIDR block with a prefix of /16 to /24`);
    }
  });

  test('fails if an interface endpoint name is unknown or repeated', () => {
    const error = errorOf(build({ interfaceEndpoints: ['sagemaker-runtime', 'logs', 'logs'] }));
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      'Bad/Network:interfaceEndpoints ["sagemaker-runtime"]',
      'Bad/Network:interfaceEndpoints ["logs"]',
    ]);
    expect(error.problems[0].fix).toContain('call vpc.addInterfaceEndpoint yourself');
  });

  test('fails if both keys and flowLogKey are given', () => {
    const error = errorOf(() => {
      const s = new Stack(new App(), 'Bad');
      new PrivateNetwork(s, 'Network', { keys: new KeyRing(s, 'Keys'), flowLogKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/k') });
    });
    expect(error.message).toContain('Bad/Network:flowLogKey: received \'both keys and flowLogKey\'; allowed: one of keys or flowLogKey');
  });

  test('fails if flow logs would be kept less than a year, or forever without a declared retention', () => {
    expect(errorOf(build({ flowLogRetention: logs.RetentionDays.SIX_MONTHS })).message)
      .toContain("Bad/Network:flowLogRetention: received '180 days'; allowed: at least RetentionDays.ONE_YEAR");
    expect(errorOf(build({ flowLogRetention: logs.RetentionDays.INFINITE })).message)
      .toContain("Bad/Network:flowLogRetention: received 'RetentionDays.INFINITE'");
  });

  test('lists every problem in one error', () => {
    expect(errorOf(build({ maxAzs: 1, cidr: '10.0.0.0/8', interfaceEndpoints: ['nope'], flowLogRetention: logs.RetentionDays.ONE_DAY })).problems).toHaveLength(4);
  });
});

describe('PrivateNetwork compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every rule of the catalog, with no acknowledgment', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  test('defaults pass the endpoint-policy and default-security-group rules', () => {
    expect(new Set(Object.values(verdictsOnStack(endpointPolicyRestrictsPrincipals, stack)))).toEqual(new Set(['pass']));
    expect(Object.values(verdictsOnStack(defaultSecurityGroupRestricted, stack))).toEqual(['pass']);
  });

  test('cdk-nag finds nothing', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
