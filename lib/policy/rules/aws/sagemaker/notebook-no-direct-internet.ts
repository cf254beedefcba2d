import { defineRule, fail, pass, RuleOutcome } from '../../../rule';

const notebook = (extra: Record<string, any>) => ({
  Type: 'AWS::SageMaker::NotebookInstance',
  Properties: { InstanceType: 'ml.t3.medium', RoleArn: 'arn:aws:iam::111122223333:role/notebook', KmsKeyId: 'alias/notebooks', ...extra },
});
const HARDENED = { DirectInternetAccess: 'Disabled', SubnetId: 'subnet-1', SecurityGroupIds: ['sg-1'], RootAccess: 'Disabled' };

/** MLOPS-SM-007: notebook instances sit in the VPC without direct internet access or root. */
export default defineRule({
  id: 'MLOPS-SM-007',
  title: 'SageMaker notebook instance has no direct internet access, runs in a VPC subnet and denies root',
  resourceTypes: ['AWS::SageMaker::NotebookInstance'],
  severity: 'high',
  themes: ['NET', 'IAM'],
  acknowledgeable: true,
  rationale:
    'Notebooks hold credentials of the execution role and copies of training data. With direct internet access (the ' +
    'default) data can leave through SageMaker\'s network, bypassing VPC endpoints, proxies and flow logs; it can only be ' +
    'disabled when the notebook runs in a VPC subnet. Root access lets a user change the instance and its security ' +
    'software, so it undermines least privilege.',
  fix:
    'On CfnNotebookInstance set directInternetAccess: "Disabled", subnetId and securityGroupIds of a private subnet, and ' +
    'rootAccess: "Disabled" (CloudFormation AWS::SageMaker::NotebookInstance DirectInternetAccess, SubnetId, ' +
    'SecurityGroupIds, RootAccess).',
  references: [
    'AWS Config sagemaker-notebook-no-direct-internet-access',
    'AWS Config sagemaker-notebook-instance-inside-vpc',
    'AWS Config sagemaker-notebook-instance-root-access-check',
    'Control Tower CT.SAGEMAKER.PR.1, CT.SAGEMAKER.PR.2, CT.SAGEMAKER.PR.3',
    'cdk-nag AwsSolutions-SM1, AwsSolutions-SM3',
    'https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html',
  ],
  scenarios: [
    { name: 'hardened notebook', expect: 'pass', resource: notebook(HARDENED) },
    { name: 'defaults (direct internet, no subnet, root)', expect: 'fail', resource: notebook({}) },
    { name: 'in a subnet but direct internet enabled', expect: 'fail', resource: notebook({ ...HARDENED, DirectInternetAccess: 'Enabled' }) },
    { name: 'hardened but root access enabled', expect: 'fail', resource: notebook({ ...HARDENED, RootAccess: 'Enabled' }) },
    { name: 'internet access from a parameter', expect: 'unresolvable', resource: notebook({ ...HARDENED, DirectInternetAccess: { Ref: 'Internet' } }) },
  ],
  evaluate(resource, ctx) {
    const p = resource.properties;
    const outcomes: RuleOutcome[] = [];
    const internet = ctx.string(p.DirectInternetAccess, 'Properties/DirectInternetAccess');
    if (internet !== 'Disabled') {
      outcomes.push(
        fail(
          'Properties/DirectInternetAccess',
          `DirectInternetAccess is ${internet ?? 'unset (default Enabled)'}: the notebook reaches the internet through SageMaker's network`,
        ),
      );
    }
    if (!ctx.isPresent(p.SubnetId, 'Properties/SubnetId')) {
      outcomes.push(fail('Properties/SubnetId', 'SubnetId is not set: the notebook runs outside your VPC, and DirectInternetAccess Disabled requires a subnet'));
    }
    const root = ctx.string(p.RootAccess, 'Properties/RootAccess');
    if (root !== 'Disabled') {
      outcomes.push(fail('Properties/RootAccess', `RootAccess is ${root ?? 'unset (default Enabled)'}: notebook users can become root`));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});
