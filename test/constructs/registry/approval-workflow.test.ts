import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApprovalWorkflow, ApprovalWorkflowProps } from '../../../constructs/registry/approval-workflow';
import { ModelRegistry, RiskTier } from '../../../constructs/registry/model-registry';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

const app = new App();
const stack = new Stack(app, 'Approval');
const registry = new ModelRegistry(stack, 'CreditRisk', { modelPackageGroupName: 'credit-risk', owner: 'credit-models', riskTier: RiskTier.HIGH });
const workflow = new ApprovalWorkflow(stack, 'Workflow', { registry });

// Options: a registrant brought in by ARN, an approver trusted from a federated role, a deployer persona.
const optionsStack = new Stack(app, 'ApprovalOptions');
const sharedRegistry = new ModelRegistry(optionsStack, 'CreditRisk', { modelPackageGroupName: 'credit-risk', owner: 'credit-models', riskTier: RiskTier.HIGH });
const pipelineRole = iam.Role.fromRoleArn(optionsStack, 'Pipeline', 'arn:aws:iam::111122223333:role/training-pipeline');
const withDeployer = new ApprovalWorkflow(optionsStack, 'Workflow', {
  registry: sharedRegistry,
  registrant: pipelineRole,
  approverAssumedBy: new iam.ArnPrincipal('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ModelValidators_0123456789abcdef'),
  deployerAssumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
});

const template = Template.fromStack(stack);
const options = Template.fromStack(optionsStack);
const idIn = (scope: Stack, construct: { node: { defaultChild?: unknown } }) => scope.getLogicalId(construct.node.defaultChild as never);
const policyOf = (t: Template, scope: Stack, policy: iam.ManagedPolicy) =>
  t.toJSON().Resources[idIn(scope, policy)].Properties as { PolicyDocument: { Statement: any[] }; Roles: unknown[] };

/**
 * A small IAM evaluator over the rendered statements: explicit Deny wins, then an Allow is needed. Conditions:
 * StringEquals (the key must be present and match) and StringNotEqualsIfExists (absent or not matching).
 * ARNs are rendered with partition aws, region eu-west-1, account 111122223333.
 */
function decide(statements: any[], action: string, resource: string, context: Record<string, string>): 'allowed' | 'denied' | 'implicitly denied' {
  const render = (v: any): string => {
    if (typeof v === 'string') return v;
    if (v['Fn::Join']) return v['Fn::Join'][1].map(render).join(v['Fn::Join'][0]);
    if (v.Ref) return ({ 'AWS::Partition': 'aws', 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333' } as Record<string, string>)[v.Ref] ?? `<${v.Ref}>`;
    if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
    throw new Error(`cannot render ${JSON.stringify(v)}`);
  };
  const glob = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
  const conditionHolds = (condition: Record<string, Record<string, unknown>> = {}) => Object.entries(condition).every(([operator, body]) =>
    Object.entries(body).every(([key, expected]) => {
      const values = [expected].flat().map(String);
      const actual = context[key];
      if (operator === 'StringEquals') return actual !== undefined && values.includes(actual);
      if (operator === 'StringNotEqualsIfExists') return actual === undefined || !values.includes(actual);
      throw new Error(`operator ${operator} not modelled`);
    }));
  const matches = (s: any) => [s.Action].flat().some((a: string) => glob(a, action))
    && [s.Resource].flat().map(render).some((r: string) => glob(r, resource)) && conditionHolds(s.Condition);
  if (statements.some((s) => s.Effect === 'Deny' && matches(s))) return 'denied';
  return statements.some((s) => s.Effect === 'Allow' && matches(s)) ? 'allowed' : 'implicitly denied';
}

const GROUP = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/credit-risk';
const VERSION = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/credit-risk/3';
const OTHER_GROUP_VERSION = 'arn:aws:sagemaker:eu-west-1:111122223333:model-package/fraud/3';
const status = (s?: string): Record<string, string> => (s ? { 'sagemaker:ModelApprovalStatus': s } : {});

describe('ApprovalWorkflow defaults', () => {
  const registrant = policyOf(template, stack, workflow.registrantPolicy).PolicyDocument.Statement;
  const approver = policyOf(template, stack, workflow.approverPolicy).PolicyDocument.Statement;

  test('the registrant registers only as PendingManualApproval, and must say so in the request', () => {
    expect(decide(registrant, 'sagemaker:CreateModelPackage', GROUP, status('PendingManualApproval'))).toBe('allowed');
    expect(decide(registrant, 'sagemaker:CreateModelPackage', GROUP, status('Approved'))).toBe('denied');
    expect(decide(registrant, 'sagemaker:CreateModelPackage', GROUP, status('Rejected'))).toBe('denied');
    // ...IfExists treats a missing key as a match, so a request without a status meets the Deny too.
    expect(decide(registrant, 'sagemaker:CreateModelPackage', GROUP, status())).toBe('denied');
  });

  test('the registrant can never approve or reject, not even its own version', () => {
    expect(decide(registrant, 'sagemaker:UpdateModelPackage', VERSION, status('Approved'))).toBe('denied');
    expect(decide(registrant, 'sagemaker:UpdateModelPackage', VERSION, status('Rejected'))).toBe('denied');
  });

  test('the approver approves or rejects, changes nothing else, and can never register', () => {
    expect(decide(approver, 'sagemaker:UpdateModelPackage', VERSION, status('Approved'))).toBe('allowed');
    expect(decide(approver, 'sagemaker:UpdateModelPackage', VERSION, status('Rejected'))).toBe('allowed');
    expect(decide(approver, 'sagemaker:UpdateModelPackage', VERSION, status('PendingManualApproval'))).toBe('implicitly denied');
    expect(decide(approver, 'sagemaker:UpdateModelPackage', VERSION, status())).toBe('implicitly denied');
    expect(decide(approver, 'sagemaker:CreateModelPackage', GROUP, status('PendingManualApproval'))).toBe('denied');
  });

  test('both act on this group only', () => {
    expect(decide(approver, 'sagemaker:UpdateModelPackage', OTHER_GROUP_VERSION, status('Approved'))).toBe('implicitly denied');
    expect(decide(registrant, 'sagemaker:CreateModelPackage', 'arn:aws:sagemaker:eu-west-1:111122223333:model-package-group/fraud', status('PendingManualApproval')))
      .toBe('implicitly denied');
  });

  test('both read the group and its versions, and decrypt their content through SageMaker only', () => {
    for (const statements of [registrant, approver]) {
      expect(decide(statements, 'sagemaker:DescribeModelPackage', VERSION, {})).toBe('allowed');
      expect(decide(statements, 'sagemaker:ListModelPackages', '*', {})).toBe('allowed');
      expect(statements).toContainEqual(expect.objectContaining({
        Sid: 'DecryptThroughSageMaker', Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sagemaker.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      }));
    }
    expect(registrant).toContainEqual(expect.objectContaining({ Sid: 'EncryptThroughSageMaker', Action: ['kms:Encrypt', 'kms:GenerateDataKey'] }));
  });

  test('each persona has its own role and customer managed policy; no inline policies', () => {
    expect(policyOf(template, stack, workflow.registrantPolicy).Roles).toEqual([{ Ref: idIn(stack, workflow.registrant as iam.Role) }]);
    expect(policyOf(template, stack, workflow.approverPolicy).Roles).toEqual([{ Ref: idIn(stack, workflow.approver as iam.Role) }]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(workflow.deployer).toBeUndefined();
  });

  test('the registrant is assumed by SageMaker (pipelines), the approver by principals of this account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' } }] },
      Description: 'Registers versions of Approval/CreditRisk as PendingManualApproval; cannot approve',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole', Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
        }],
      },
      Description: 'Approves or rejects versions of Approval/CreditRisk; cannot register',
    });
  });
});

describe('ApprovalWorkflow options', () => {
  test('a registrant passed in gets the registrant policy attached by name', () => {
    expect(policyOf(options, optionsStack, withDeployer.registrantPolicy).Roles).toEqual(['training-pipeline']);
    expect(withDeployer.registrant).toBe(pipelineRole);
  });

  test('approverAssumedBy sets who may assume the approver role', () => {
    options.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole', Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ModelValidators_0123456789abcdef' },
        }],
      },
    });
  });

  test('the deployer reads, and can neither register nor approve', () => {
    const deployer = policyOf(options, optionsStack, withDeployer.deployerPolicy!).PolicyDocument.Statement;
    expect(decide(deployer, 'sagemaker:DescribeModelPackage', VERSION, {})).toBe('allowed');
    expect(decide(deployer, 'sagemaker:CreateModelPackage', GROUP, status('PendingManualApproval'))).toBe('denied');
    expect(decide(deployer, 'sagemaker:UpdateModelPackage', VERSION, status('Approved'))).toBe('denied');
    options.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' } }] },
    });
  });
});

describe('ApprovalWorkflow validation', () => {
  const scope = new Stack(new App(), 'Bad');
  const badRegistry = ModelRegistry.fromModelPackageGroupName(scope, 'Registry', 'credit-risk');
  const role = new iam.Role(scope, 'Shared', { assumedBy: new iam.AccountRootPrincipal() });
  let n = 0;
  const build = (props: Partial<ApprovalWorkflowProps>) => () => new ApprovalWorkflow(scope, `Workflow${n++}`, { registry: badRegistry, ...props });

  test('fails if one role is given as registrant and approver, and says how to fix it', () => {
    const error = errorOf(build({ registrant: role, approver: role }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toMatch(/Bad\/Workflow\d+:approver: received 'the role Bad\/Shared \(already the registrant\)'; allowed: a role that is not the registrant\. /);
    expect(error.message).toContain('Fix: give each persona its own role (separation of duties): pass another role as approver, or omit approver to create one');
  });

  test('fails if the deployer is the approver, or two imports name the same role', () => {
    expect(errorOf(build({ approver: role, deployer: role })).problems.map((p) => p.received)).toEqual(["'the role Bad/Shared (already the approver)'"]);
    const arn = 'arn:aws:iam::111122223333:role/ml-ops';
    const a = iam.Role.fromRoleArn(scope, 'A', arn);
    const b = iam.Role.fromRoleArn(scope, 'B', arn);
    expect(errorOf(build({ registrant: a, approver: b })).problems.map((p) => p.received)).toEqual(["'the role Bad/B (already the registrant)'"]);
  });

  test('fails if a persona gets both a role and a principal to create one', () => {
    const error = errorOf(build({ approver: role, approverAssumedBy: new iam.AccountRootPrincipal(), deployer: role, deployerAssumedBy: new iam.AccountRootPrincipal() }));
    expect(error.problems.map((p) => p.path.replace(/\d+/, ''))).toEqual([
      'Bad/Workflow:approverAssumedBy', 'Bad/Workflow:deployerAssumedBy', 'Bad/Workflow:deployer',
    ]);
  });
});

describe('ApprovalWorkflow compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every pack, with no acknowledgment', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  test('the options stack passes every pack too', () => {
    expect(findingLines(complianceOf(optionsStack, EVERY_RULE_PACKS))).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged: only the group-scoped version ARN and ListModelPackages wildcards, each acknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(nagFindings(optionsStack)).toEqual([]);
  });
});
