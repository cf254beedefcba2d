import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import rule from '../../../../../lib/policy/rules/aws/sagemaker/notebook-no-direct-internet';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SM-007 notebook without direct internet', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'notebooks', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const securityGroup = new ec2.SecurityGroup(stack, 'NotebookSg', { vpc });
  const key = new kms.Key(stack, 'NotebookKey', { enableKeyRotation: true });
  const base: sagemaker.CfnNotebookInstanceProps = { instanceType: 'ml.t3.medium', roleArn: 'arn:aws:iam::111122223333:role/notebook', kmsKeyId: key.keyId };
  const hardened: sagemaker.CfnNotebookInstanceProps = {
    ...base,
    directInternetAccess: 'Disabled',
    rootAccess: 'Disabled',
    subnetId: vpc.isolatedSubnets[0].subnetId,
    securityGroupIds: [securityGroup.securityGroupId],
  };
  new sagemaker.CfnNotebookInstance(stack, 'Hardened', hardened);
  new sagemaker.CfnNotebookInstance(stack, 'Defaults', base);
  new sagemaker.CfnNotebookInstance(stack, 'Overridden', hardened).addPropertyOverride('RootAccess', 'Enabled');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a notebook in a VPC subnet without internet or root', () => expect(verdicts.Hardened).toBe('pass'));
  it('fails the defaults with one outcome per setting', () => {
    expect(outcomesOnStack(rule, stack, 'Defaults').map((o) => o.status === 'fail' && o.path)).toEqual([
      'Properties/DirectInternetAccess', 'Properties/SubnetId', 'Properties/RootAccess',
    ]);
  });
  it('fails a hardened notebook given root with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      { status: 'fail', path: 'Properties/RootAccess', message: 'RootAccess is Enabled: notebook users can become root' },
    ]);
  });
});
