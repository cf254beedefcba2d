import { defineRule, fail, pass, unresolvable } from '../../../rule';
import { DEFAULT_SG_RESTRICTIONS, RESTRICT_DEFAULT_SG } from './default-security-groups';

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
const restriction = (group: unknown) => ({
  Type: RESTRICT_DEFAULT_SG,
  Properties: { ServiceToken: { 'Fn::GetAtt': ['Handler', 'Arn'] }, DefaultSecurityGroupId: group, Account: { Ref: 'AWS::AccountId' } },
});
const OF_SUBJECT = { 'Fn::GetAtt': ['Subject', 'DefaultSecurityGroup'] };

/** MLOPS-VPC-011: every VPC of the template has its default security group emptied. */
export default defineRule({
  id: 'MLOPS-VPC-011',
  title: 'VPC default security group is restricted (no inbound or outbound rules)',
  resourceTypes: ['AWS::EC2::VPC'],
  severity: 'medium',
  themes: ['NET'],
  acknowledgeable: true,
  rationale:
    'Every VPC comes with a default security group that admits all traffic from its members and allows all egress. ' +
    'Any ENI created without an explicit group (a notebook, a training job, a hand-made instance) lands in it and can ' +
    'reach every other such ENI and, through any route, the internet. CloudFormation has no property for its rules: ' +
    "the template shows the restriction only as CDK's Custom::VpcRestrictDefaultSG resource that revokes them at deploy, " +
    'so that is what this rule looks for. An organisation that closes default groups centrally (AWS Firewall Manager, ' +
    'a Config remediation) acknowledges this rule and names that control.',
  fix:
    'Use regulated-mlops PrivateNetwork, or set restrictDefaultSecurityGroup: true on ec2.Vpc (the default under the ' +
    '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup feature flag), which renders a Custom::VpcRestrictDefaultSG with ' +
    'DefaultSecurityGroupId: {Fn::GetAtt: [<vpc>, DefaultSecurityGroup]}.',
  references: [
    'AWS Config vpc-default-security-group-closed',
    'AWS Security Hub EC2.2',
    'cdk-nag VPCDefaultSecurityGroupClosed (HIPAA, NIST 800-53, PCI DSS packs)',
    'https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html',
  ],
  scenarios: [
    { name: 'restricted by the CDK custom resource', expect: 'pass', resource: VPC, others: { Restrict: restriction(OF_SUBJECT) } },
    { name: 'nothing restricts the default group', expect: 'fail', resource: VPC },
    {
      name: 'the restriction targets another VPC',
      expect: 'fail',
      resource: VPC,
      others: { Other: VPC, Restrict: restriction({ 'Fn::GetAtt': ['Other', 'DefaultSecurityGroup'] }) },
    },
    {
      name: 'the restriction targets a literal group of a VPC outside the template',
      expect: 'fail',
      resource: VPC,
      others: { Restrict: restriction('sg-0123456789abcdef0') },
    },
    {
      name: 'the only restriction targets a group id from a parameter',
      expect: 'unresolvable',
      resource: VPC,
      others: { Restrict: restriction({ Ref: 'DefaultGroupId' }) },
    },
  ],
  evaluate(vpc, ctx) {
    const { byVpc, uncertain } = ctx.index(DEFAULT_SG_RESTRICTIONS);
    const restrictions = byVpc.get(vpc.logicalId) ?? [];
    if (restrictions.length > 0) return pass(`${restrictions[0].logicalId} revokes the default security group's rules at deploy`);
    // The VPC has no property for its default group: the finding is on the resource (path '').
    if (uncertain.length > 0) {
      return unresolvable('', `no ${RESTRICT_DEFAULT_SG} is known to target this VPC; ${uncertain.map((r) => r.logicalId).join(', ')} targets a group that cannot be resolved at synth and may be its default group`);
    }
    return fail('', `no ${RESTRICT_DEFAULT_SG} targets this VPC's DefaultSecurityGroup: the default group keeps its rules (all traffic between its members, all egress)`);
  },
});
