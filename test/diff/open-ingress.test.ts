import { openIngress } from '../../lib/diff/open-ingress';
import { compareStacks } from '../../lib/diff/stack-comparison';
import { loadedStack } from './loaded-stack';

const GROUP = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'serving', VpcId: 'vpc-1', SecurityGroupIngress: [] as unknown[] } };
const ingress = (rule: Record<string, unknown>) => ({
  Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['Group', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, ...rule },
});

function added(resources: Record<string, unknown>) {
  return openIngress(compareStacks(loadedStack('App', { Resources: { Group: GROUP } }), loadedStack('App', { Resources: { Group: GROUP, ...resources } }), new Set()));
}

describe('openIngress', () => {
  test('::/0 through a separate ingress resource, on that resource, naming the group it opens', () => {
    expect(added({ Ssh: ingress({ CidrIpv6: '::/0' }) })).toEqual([{
      kind: 'open-ingress', stack: 'App', logicalId: 'Ssh', type: 'AWS::EC2::SecurityGroupIngress', concerns: ['public-exposure'],
      group: '${Group.GroupId}', protocol: 'TCP 22', peer: '::/0',
    }]);
  });

  test('an intrinsic that may yield 0.0.0.0/0 counts, as cloudformation-diff renders it', () => {
    const cidr = { 'Fn::If': ['Public', '0.0.0.0/0', '10.0.0.0/16'] };
    expect(added({ Maybe: ingress({ CidrIp: cidr }) }).map((f) => [f.logicalId, f.peer])).toEqual([['Maybe', JSON.stringify(cidr)]]);
  });

  test('a private range, another group or a prefix list is not exposure', () => {
    expect(added({
      Private: ingress({ CidrIp: '10.0.0.0/16' }),
      Peer: ingress({ SourceSecurityGroupId: 'sg-123' }),
      List: ingress({ SourcePrefixListId: 'pl-123' }),
    })).toEqual([]);
  });

  test('an inline rule opened to 0.0.0.0/0, on the group', () => {
    const open = { ...GROUP, Properties: { ...GROUP.Properties, SecurityGroupIngress: [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }] } };
    const found = openIngress(compareStacks(loadedStack('App', { Resources: { Group: GROUP } }), loadedStack('App', { Resources: { Group: open } }), new Set()));
    expect(found.map((f) => [f.logicalId, f.protocol, f.peer])).toEqual([['Group', 'Everything', '0.0.0.0/0']]);
  });
});
