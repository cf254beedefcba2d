import { App, Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import rule from '../../../../../lib/policy/rules/aws/ec2/endpoint-policy-restricts-principals';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-VPC-010 VPC endpoint policy restricts principals', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const ownAccount = () => new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['*'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } },
  });
  vpc.addInterfaceEndpoint('Compliant', { service: ec2.InterfaceVpcEndpointAwsService.KMS }).addToPolicy(ownAccount());
  const s3 = vpc.addGatewayEndpoint('CompliantS3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  s3.addToPolicy(ownAccount());
  s3.addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::prod-${Aws.REGION}-starport-layer-bucket/*`],
  }));
  vpc.addInterfaceEndpoint('NoPolicy', { service: ec2.InterfaceVpcEndpointAwsService.STS });
  const overridden = vpc.addInterfaceEndpoint('Overridden', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
  overridden.addToPolicy(ownAccount());
  const cfnOverridden = overridden.node.defaultChild as ec2.CfnVPCEndpoint;
  cfnOverridden.addPropertyDeletionOverride('PolicyDocument.Statement.0.Condition.StringEquals');
  cfnOverridden.addPropertyOverride('PolicyDocument.Statement.0.Condition.Bool', { 'aws:SecureTransport': 'true' });
  new ec2.CfnVPCEndpoint(stack, 'RawCfn', {
    vpcId: vpc.vpcId, serviceName: 'com.amazonaws.eu-west-1.s3', vpcEndpointType: 'Gateway',
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] },
  });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes CDK endpoints whose policy admits this account only, and the ECR layer bucket by name', () => {
    expect(verdictOf('VpcCompliant')).toBe('pass');
    expect(verdictOf('VpcCompliantS3')).toBe('pass');
  });
  it('fails a CDK endpoint without a policy (the full-access default)', () => {
    expect(outcomesOnStack(rule, stack, 'VpcNoPolicy')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument', message: expect.stringContaining('default policy') }),
    ]);
  });
  it('fails a raw CfnVPCEndpoint whose policy allows s3:* to everyone, naming the statement', () => {
    expect(outcomesOnStack(rule, stack, 'RawCfn')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/0', message: expect.stringContaining('allows s3:* to any principal of any account on *') }),
    ]);
  });
  it('fails a compliant endpoint whose condition is replaced with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'VpcOverridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/PolicyDocument/Statement/0', message: expect.stringContaining('with no condition on aws:PrincipalAccount') }),
    ]);
  });
});
