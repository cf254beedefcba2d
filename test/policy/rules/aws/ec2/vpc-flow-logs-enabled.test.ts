import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import rule from '../../../../../lib/policy/rules/aws/ec2/vpc-flow-logs-enabled';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-VPC-001 VPC flow logs of all traffic', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const app = new App();
  const stack = new Stack(app, 'Fixtures');
  const small = { maxAzs: 1, natGateways: 0 };
  new ec2.Vpc(stack, 'Compliant', { ...small, flowLogs: { all: {} } });
  new ec2.Vpc(stack, 'Added', small).addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toS3() });
  new ec2.Vpc(stack, 'NoFlowLogs', small);
  new ec2.Vpc(stack, 'RejectOnly', { ...small, flowLogs: { rejected: { trafficType: ec2.FlowLogTrafficType.REJECT } } });
  const overridden = new ec2.Vpc(stack, 'Overridden', { ...small, flowLogs: { all: {} } });
  const overriddenFlowLog = overridden.node.findChild('all').node.findChild('FlowLog') as ec2.CfnFlowLog;
  overriddenFlowLog.addPropertyOverride('TrafficType', 'REJECT');
  const rawVpc = new ec2.CfnVPC(stack, 'RawCfn', { cidrBlock: '10.1.0.0/16' });
  new ec2.CfnFlowLog(stack, 'RawCfnFlowLog', {
    resourceType: 'VPC', resourceId: rawVpc.ref, trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::flow-logs',
  });
  new ec2.CfnVPC(stack, 'RawBare', { cidrBlock: '10.2.0.0/16' });

  // A flow log whose target is a parameter may cover any uncovered VPC of its template, so it gets its own stack.
  const shared = new Stack(app, 'SharedVpcFixtures');
  const vpcId = new CfnParameter(shared, 'VpcId', { type: 'AWS::EC2::VPC::Id' });
  new ec2.CfnVPC(shared, 'Uncovered', { cidrBlock: '10.3.0.0/16' });
  new ec2.CfnFlowLog(shared, 'ParameterFlowLog', {
    resourceType: 'VPC', resourceId: vpcId.valueAsString, trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::flow-logs',
  });
  new ec2.Vpc(shared, 'Covered', { ...small, flowLogs: { all: {} } });
  // Synthesis freezes the app: read the stacks only once both are built.
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes an ec2.Vpc with flowLogs and one with addFlowLog', () => {
    expect(verdictOf('Compliant')).toBe('pass');
    expect(verdictOf('Added')).toBe('pass');
  });
  it('fails an ec2.Vpc without flow logs', () => {
    expect(outcomesOnStack(rule, stack, 'NoFlowLogs')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: expect.stringContaining('no AWS::EC2::FlowLog') }),
    ]);
  });
  it('fails a REJECT-only flow log, saying what is not recorded', () => {
    expect(outcomesOnStack(rule, stack, 'RejectOnly')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: expect.stringContaining('TrafficType REJECT (accepted connections are not recorded)') }),
    ]);
  });
  it('judges raw CfnVPCs by the CfnFlowLogs that Ref them', () => {
    expect(verdictOf('RawCfn')).toBe('pass');
    expect(verdictOf('RawBare')).toBe('fail');
  });
  it('fails a VPC whose flow log is narrowed with addPropertyOverride, naming the flow log (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: '', message: expect.stringContaining(`flow log ${stack.getLogicalId(overriddenFlowLog)} has TrafficType REJECT`) }),
    ]);
  });
  it('cannot evaluate a VPC that only a flow log with a parameter target may cover, and still passes a covered one', () => {
    expect(outcomesOnStack(rule, shared, 'Uncovered')).toEqual([
      expect.objectContaining({ status: 'unresolvable', path: '', message: expect.stringContaining('flow log ParameterFlowLog may cover it, but its ResourceId is a Ref to VpcId') }),
    ]);
    expect(outcomesOnStack(rule, shared, 'Covered')).toEqual([{ status: 'pass' }]);
  });
});
