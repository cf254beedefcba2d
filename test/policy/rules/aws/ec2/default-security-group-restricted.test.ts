import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import rule from '../../../../../lib/policy/rules/aws/ec2/default-security-group-restricted';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-VPC-011 VPC default security group restricted', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const small = { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] };
  new ec2.Vpc(stack, 'Compliant', { ...small, restrictDefaultSecurityGroup: true });
  new ec2.Vpc(stack, 'Unrestricted', { ...small, restrictDefaultSecurityGroup: false });
  const overridden = new ec2.Vpc(stack, 'Overridden', { ...small, restrictDefaultSecurityGroup: true });
  const restriction = overridden.node.findChild('RestrictDefaultSecurityGroupCustomResource').node.defaultChild as CfnResource;
  restriction.addPropertyOverride('DefaultSecurityGroupId', 'sg-0123456789abcdef0');
  new ec2.CfnVPC(stack, 'RawCfn', { cidrBlock: '10.1.0.0/16' });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an ec2.Vpc with restrictDefaultSecurityGroup', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails an ec2.Vpc that keeps the default rules', () => {
    expect(outcomesOnStack(rule, stack, 'Unrestricted')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: expect.stringContaining('no Custom::VpcRestrictDefaultSG targets') }),
    ]);
  });
  it('fails a raw CfnVPC', () => expect(verdictOf('RawCfn')).toBe('fail'));
  it('fails a restricted VPC whose restriction is pointed elsewhere with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([expect.objectContaining({ status: 'fail', path: '' })]);
  });
});
