import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/model-in-vpc';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-003 model in a VPC', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'models', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const securityGroup = new ec2.SecurityGroup(stack, 'ModelSg', { vpc, allowAllOutbound: false });
  const props: sagemaker.CfnModelProps = {
    executionRoleArn: 'arn:aws:iam::111122223333:role/model',
    primaryContainer: { image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/model@sha256:0' },
    enableNetworkIsolation: true,
  };
  const vpcConfig = { subnets: vpc.isolatedSubnets.map((s) => s.subnetId), securityGroupIds: [securityGroup.securityGroupId] };
  new sagemaker.CfnModel(stack, 'InVpc', { ...props, vpcConfig });
  new sagemaker.CfnModel(stack, 'NoVpc', props);
  const overridden = new sagemaker.CfnModel(stack, 'Overridden', { ...props, vpcConfig });
  overridden.addPropertyDeletionOverride('VpcConfig');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a model in the subnets and security group of an ec2.Vpc', () => expect(verdicts.InVpc).toBe('pass'));
  it('fails a model without VpcConfig', () => expect(verdicts.NoVpc).toBe('fail'));
  it('fails a model whose VpcConfig is deleted with an override (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/VpcConfig', message: 'VpcConfig is not set: the model runs outside your VPC' },
    ]);
  });
});
