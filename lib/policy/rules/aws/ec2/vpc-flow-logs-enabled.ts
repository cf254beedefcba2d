import { Unresolvable } from '../../../context';
import { defineRule, fail, pass, unresolvable } from '../../../rule';
import { FLOW_LOGS_BY_VPC } from './flow-logs';

const VPC = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } };
const FLOW_LOG_TO_LOGS = {
  LogDestinationType: 'cloud-watch-logs',
  LogGroupName: 'vpc-flow-logs',
  DeliverLogsPermissionArn: 'arn:aws:iam::111122223333:role/flow-logs',
};
const flowLog = (properties: Record<string, unknown>) => ({
  Type: 'AWS::EC2::FlowLog',
  Properties: { ResourceType: 'VPC', ResourceId: { Ref: 'Subject' }, TrafficType: 'ALL', ...FLOW_LOG_TO_LOGS, ...properties },
});

/** What a partial TrafficType leaves out, for the finding message. */
const MISSED: Record<string, string> = {
  ACCEPT: 'rejected connection attempts are not recorded',
  REJECT: 'accepted connections are not recorded',
};

/** MLOPS-VPC-001: every VPC of the template has a flow log recording all its traffic. */
export default defineRule({
  id: 'MLOPS-VPC-001',
  title: 'VPC has a flow log recording all traffic',
  resourceTypes: ['AWS::EC2::VPC'],
  severity: 'medium',
  themes: ['LOG', 'MON'],
  acknowledgeable: true,
  rationale:
    'Flow logs are the only network-level record of what reached or left the subnets where models, notebooks and ' +
    'training jobs run: the evidence for detecting and investigating exfiltration of training data or model ' +
    'artifacts. A REJECT-only log shows blocked probes but not the connections that succeeded; an ACCEPT-only log ' +
    'hides scanning. Only ALL traffic (or an ACCEPT and a REJECT log together) records both.',
  fix:
    'Keep the ec2.Vpc flowLogs prop with a trafficType of ec2.FlowLogTrafficType.ALL (the default), e.g. flowLogs: ' +
    "{ all: {} }, or call vpc.addFlowLog('FlowLog') (AWS::EC2::FlowLog with ResourceType: VPC, ResourceId: {Ref: <vpc>}, TrafficType: ALL).",
  references: [
    'AWS Config vpc-flow-logs-enabled',
    'cdk-nag AwsSolutions-VPC7',
    'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
  ],
  scenarios: [
    { name: 'flow log of all traffic', expect: 'pass', resource: VPC, others: { FlowLog: flowLog({}) } },
    {
      name: 'flow log to S3 targeting the VpcId attribute',
      expect: 'pass',
      resource: VPC,
      others: {
        FlowLog: {
          Type: 'AWS::EC2::FlowLog',
          Properties: { ResourceType: 'VPC', ResourceId: { 'Fn::GetAtt': ['Subject', 'VpcId'] }, TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-logs' },
        },
      },
    },
    {
      name: 'an ACCEPT and a REJECT flow log together',
      expect: 'pass',
      resource: VPC,
      others: { Accepted: flowLog({ TrafficType: 'ACCEPT' }), Rejected: flowLog({ TrafficType: 'REJECT' }) },
    },
    {
      name: 'a flow log of all traffic next to one whose target is a parameter',
      expect: 'pass',
      resource: VPC,
      others: { FlowLog: flowLog({}), Imported: flowLog({ ResourceId: { Ref: 'SharedVpcId' } }) },
    },
    { name: 'no flow log', expect: 'fail', resource: VPC },
    { name: 'REJECT-only flow log', expect: 'fail', resource: VPC, others: { FlowLog: flowLog({ TrafficType: 'REJECT' }) } },
    { name: 'ACCEPT-only flow log', expect: 'fail', resource: VPC, others: { FlowLog: flowLog({ TrafficType: 'ACCEPT' }) } },
    {
      name: 'the only flow log is of another VPC',
      expect: 'fail',
      resource: VPC,
      others: { OtherVpc: VPC, FlowLog: flowLog({ ResourceId: { Ref: 'OtherVpc' } }) },
    },
    {
      name: 'only subnet flow logs',
      expect: 'fail',
      resource: VPC,
      others: {
        Subnet: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Subject' }, CidrBlock: '10.0.0.0/24' } },
        FlowLog: flowLog({ ResourceType: 'Subnet', ResourceId: { Ref: 'Subnet' } }),
      },
    },
    {
      name: 'the only flow log targets a VPC id from a parameter',
      expect: 'unresolvable',
      resource: VPC,
      others: { FlowLog: flowLog({ ResourceId: { Ref: 'VpcIdParameter' } }) },
    },
    {
      name: 'the only flow log targets an imported VPC id',
      expect: 'unresolvable',
      resource: VPC,
      others: { FlowLog: flowLog({ ResourceId: { 'Fn::ImportValue': 'network-VpcId' } }) },
    },
    {
      name: 'the flow log of this VPC takes its TrafficType from a parameter',
      expect: 'unresolvable',
      resource: VPC,
      others: { FlowLog: flowLog({ TrafficType: { Ref: 'TrafficType' } }) },
    },
  ],
  evaluate(vpc, ctx) {
    const { byVpc, uncertain } = ctx.index(FLOW_LOGS_BY_VPC);
    const flowLogs = byVpc.get(vpc.logicalId) ?? [];
    const recorded = new Map<string, string>(); // traffic type -> a flow log recording it
    const partial: string[] = [];
    const unknown: string[] = [];
    for (const flowLog of flowLogs) {
      let traffic: string | undefined;
      try {
        traffic = ctx.string(flowLog.properties.TrafficType, 'Properties/TrafficType');
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        unknown.push(`the TrafficType of flow log ${flowLog.logicalId} is ${e.detail}`);
        continue;
      }
      if (traffic === 'ALL') return pass();
      if (traffic !== undefined) recorded.set(traffic, flowLog.logicalId);
      partial.push(
        traffic === undefined
          ? `flow log ${flowLog.logicalId} has no TrafficType`
          : `flow log ${flowLog.logicalId} has TrafficType ${traffic}${MISSED[traffic] ? ` (${MISSED[traffic]})` : ''}`,
      );
    }
    if (recorded.has('ACCEPT') && recorded.has('REJECT')) {
      return pass(`flow logs ${recorded.get('ACCEPT')} (ACCEPT) and ${recorded.get('REJECT')} (REJECT) together record all traffic`);
    }
    for (const u of uncertain) {
      if (u.vpcLogicalId === undefined || u.vpcLogicalId === vpc.logicalId) unknown.push(`flow log ${u.flowLog.logicalId} may cover it, but its ${u.reason}`);
    }
    // The VPC itself has no property to point at: the finding is on the resource (path '').
    if (unknown.length > 0) return unresolvable('', `no flow log is known to record all traffic of this VPC: ${[...unknown, ...partial].join('; ')}`);
    if (partial.length > 0) return fail('', `no flow log records all traffic of this VPC (TrafficType ALL): ${partial.join('; ')}`);
    return fail('', 'no AWS::EC2::FlowLog with ResourceType VPC references this VPC, so its network traffic is not recorded');
  },
});
