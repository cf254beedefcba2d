import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const BASE = 'Properties/VpcConfig';
const model = (extra: Record<string, any>) => ({
  Type: 'AWS::SageMaker::Model',
  Properties: { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/model', PrimaryContainer: { Image: 'image@sha256:0' }, ...extra },
});

/** MLOPS-SM-003: models run in the customer's VPC. */
export default defineRule({
  id: 'MLOPS-SM-003',
  title: 'SageMaker model runs in a VPC (subnets and security groups)',
  resourceTypes: ['AWS::SageMaker::Model'],
  severity: 'high',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'Without VpcConfig the model containers and their artifact downloads run in a SageMaker-managed network, outside ' +
    "the organisation's security groups, VPC endpoints, flow logs and egress controls. In a VPC, traffic to S3, ECR and " +
    'KMS stays on private endpoints and is visible to network monitoring.',
  fix:
    'Set vpcConfig: { subnets: [private subnet ids], securityGroupIds: [sg ids] } on CfnModel (CloudFormation ' +
    'AWS::SageMaker::Model VpcConfig.Subnets and VpcConfig.SecurityGroupIds, 1–16 subnets, 1–5 security groups).',
  references: [
    'AWS Config sagemaker-model-in-vpc',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html',
  ],
  scenarios: [
    {
      name: 'subnets and security groups of the template',
      expect: 'pass',
      resource: model({ VpcConfig: { Subnets: [{ Ref: 'Subnet' }], SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }] } }),
      others: {
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: 'vpc-1', CidrBlock: '10.0.0.0/24' } },
        Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'model', VpcId: 'vpc-1' } },
      },
    },
    { name: 'no VpcConfig', expect: 'fail', resource: model({}) },
    { name: 'VpcConfig without security groups', expect: 'fail', resource: model({ VpcConfig: { Subnets: ['subnet-1'], SecurityGroupIds: [] } }) },
    {
      name: 'subnets from a comma-delimited parameter',
      expect: 'unresolvable',
      resource: model({ VpcConfig: { Subnets: { Ref: 'SubnetIds' }, SecurityGroupIds: ['sg-1'] } }),
    },
  ],
  evaluate(resource, ctx) {
    const vpc = ctx.literal(resource.properties.VpcConfig, BASE);
    if (vpc === undefined) return fail(BASE, 'VpcConfig is not set: the model runs outside your VPC');
    const outcomes: RuleOutcome[] = [];
    for (const [property, what] of [['Subnets', 'subnets'], ['SecurityGroupIds', 'security groups']]) {
      const path = `${BASE}/${property}`;
      if ((ctx.array(vpc[property], path) ?? []).length === 0) {
        outcomes.push(fail(path, `VpcConfig.${property} is empty: the model needs ${what} to run in the VPC`));
      }
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
