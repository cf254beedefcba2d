import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApprovedModel, ApprovedModelProps } from '../../../constructs/registry/approved-model';
import type { IApprovedModel } from '../../../constructs/registry/i-approved-model';
import { ModelRegistry, RiskTier } from '../../../constructs/registry/model-registry';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

// Synth needs the compiled handler (`npm run build`), as the brief for handlers says.
const app = new App();
const stack = new Stack(app, 'Serving');
const registry = new ModelRegistry(stack, 'CreditRisk', { modelPackageGroupName: 'credit-risk', owner: 'credit-models', riskTier: RiskTier.HIGH });
const model: IApprovedModel = new ApprovedModel(stack, 'Approved', { registry });
const approved = model as ApprovedModel;

// Options: a registry of another account, a pinned version, an approval token, a VPC, a shared key ring.
const optionsStack = new Stack(app, 'ServingOptions');
const keys = new KeyRing(optionsStack, 'Keys');
const network = new PrivateNetwork(optionsStack, 'Network', { keys });
const vpc = network.vpc;
const remote = ModelRegistry.fromModelPackageGroupArn(optionsStack, 'Remote', 'arn:aws:sagemaker:eu-west-1:444455556666:model-package-group/credit-risk');
new ApprovedModel(optionsStack, 'Pinned', {
  registry: remote, modelPackageVersion: 7, approvalToken: 'approval-event-1234', vpc, vpcSubnets: network.isolatedSubnets, keys,
});

const template = Template.fromStack(stack);
const options = Template.fromStack(optionsStack);
const idOf = (construct: { node: { defaultChild?: unknown } }, scope = stack) => scope.getLogicalId(construct.node.defaultChild as never);
const resourceId = stack.getLogicalId(approved.resource.node.defaultChild as never);
const resolverId = idOf(approved.resolverFunction);
const framework = () => Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([, r]) => r.Properties.Handler === 'framework.onEvent')!;

describe('ApprovedModel defaults', () => {
  test('resolves at deploy time through a Custom::RegulatedMlopsApprovedModel resource naming only the group (nothing at synth)', () => {
    const resource = template.toJSON().Resources[resourceId];
    expect(resource.Type).toBe('Custom::RegulatedMlopsApprovedModel');
    expect(resource.Properties).toEqual({ ServiceToken: { 'Fn::GetAtt': [framework()[0], 'Arn'] }, ModelPackageGroupName: 'credit-risk' });
    expect(resource.DependsOn).toContain(idOf(registry));
  });

  test('exposes the version, image and model data as the resource\'s attributes', () => {
    expect(stack.resolve(model.modelPackageArn)).toEqual({ 'Fn::GetAtt': [resourceId, 'ModelPackageArn'] });
    expect(stack.resolve(model.imageUri)).toEqual({ 'Fn::GetAtt': [resourceId, 'ImageUri'] });
    expect(stack.resolve(model.modelDataUrl)).toEqual({ 'Fn::GetAtt': [resourceId, 'ModelDataUrl'] });
    expect(stack.resolve(approved.modelPackageVersion)).toEqual({ 'Fn::GetAtt': [resourceId, 'ModelPackageVersion'] });
    expect(model.modelPackageGroupName).toBe('credit-risk');
  });

  test('the resolver runs Node.js 22 with reserved concurrency 1, its own role and the encrypted log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler', Runtime: 'nodejs22.x', ReservedConcurrentExecutions: 1, Timeout: 120,
      Role: { 'Fn::GetAtt': [idOf(approved.resolverFunction.role as never), 'Arn'] },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: idOf(approved.logGroup as never) } },
      VpcConfig: Match.absent(),
    });
  });

  test('logs go to one log group, encrypted with the LOGS key and kept a year', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApprovedKeysLogs'), 'Arn'] }, RetentionInDays: 365,
    });
  });

  test('the resolver may only read the group (describe, list) and decrypt through SageMaker, and write its logs', () => {
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: [{ Ref: idOf(approved.resolverFunction.role as never) }] },
    }));
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Effect, s.Action])).toEqual([
      ['ReadRegistry', 'Allow', ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage']],
      ['ListVersions', 'Allow', 'sagemaker:ListModelPackages'],
      ['DecryptThroughSageMaker', 'Allow', ['kms:Decrypt', 'kms:DescribeKey']],
      ['WriteOwnLogs', 'Allow', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ]);
    expect(statements[0].Resource[1]).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':model-package/credit-risk/*']],
    });
  });

  test('the provider framework function is bounded too, logs to the same group and only invokes the resolver', () => {
    const [, fn] = framework();
    expect(fn.Properties).toMatchObject({ ReservedConcurrentExecutions: 1, LoggingConfig: { LogGroup: { Ref: idOf(approved.logGroup as never) } } });
    expect(fn.Properties.VpcConfig).toBeUndefined();
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const [policy] = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: roleId }] } }));
    expect(policy.Properties.PolicyDocument.Statement.map((s: any) => [s.Action, s.Resource])).toEqual([
      [['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [idOf(approved.logGroup as never), 'Arn'] }],
      ['lambda:InvokeFunction', [{ 'Fn::GetAtt': [resolverId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [resolverId, 'Arn'] }, ':*']] }]],
      ['lambda:GetFunction', { 'Fn::GetAtt': [resolverId, 'Arn'] }],
    ]);
  });

  test('no inline IAM policy anywhere, no AWS managed policy', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of Object.values<any>(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('ApprovedModel options', () => {
  const resource = () => Object.values<any>(options.findResources('Custom::RegulatedMlopsApprovedModel'))[0];

  test('a group of another account is named by ARN; a pinned version by its ARN in that account; the token is passed', () => {
    expect(resource().Properties).toEqual({
      ServiceToken: expect.anything(),
      ModelPackageGroupName: 'arn:aws:sagemaker:eu-west-1:444455556666:model-package-group/credit-risk',
      ModelPackageArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:444455556666:model-package/credit-risk/7']] },
      ApprovalToken: 'approval-event-1234',
    });
  });

  test('with a vpc the resolver runs in the isolated subnets with HTTPS egress to the VPC only; the framework stays outside', () => {
    const isolated = vpc.isolatedSubnets.map((s) => ({ Ref: optionsStack.getLogicalId(s.node.defaultChild as never) }));
    options.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler', VpcConfig: { SubnetIds: isolated, SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^PinnedResolverSecurityGroup'), 'GroupId'] }] },
    });
    options.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('resolver: HTTPS'),
      SecurityGroupEgress: [{ CidrIp: { 'Fn::GetAtt': [idOf(vpc as ec2.Vpc, optionsStack), 'CidrBlock'] }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: Match.anyValue() }],
    });
    options.hasResourceProperties('AWS::Lambda::Function', { Handler: 'framework.onEvent', VpcConfig: Match.absent() });
  });

  test('with a vpc the resolver role may manage its network interfaces', () => {
    options.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AttachToVpc', Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), Resource: '*' })]) },
    });
  });

  test('keys selects the key ring\'s LOGS key; a registry without a known key gives no key statement', () => {
    options.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [idOf(keys.key(KeyPurpose.LOGS), optionsStack), 'Arn'] } });
    expect(JSON.stringify(options.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('DecryptThroughSageMaker');
  });
});

describe('ApprovedModel validation', () => {
  const scope = new Stack(new App(), 'Bad');
  const group = ModelRegistry.fromModelPackageGroupName(scope, 'Group', 'credit-risk');
  let n = 0;
  const problemsOf = (props: Partial<ApprovedModelProps>) =>
    errorOf(() => new ApprovedModel(scope, `Model${n++}`, { registry: group, ...props })).problems.map((p) => `${p.path.replace(/\d+:/, ':')} ${p.received}`);

  test('fails if the pinned version is not a version number', () => {
    const error = errorOf(() => new ApprovedModel(scope, 'Zero', { registry: group, modelPackageVersion: 0 }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain('Bad/Zero:modelPackageVersion: received 0; allowed: a version number: a whole number from 1. ' +
      'Fix: name a registered version (ListModelPackages shows ModelPackageVersion), or omit it for the newest approved one');
    expect(problemsOf({ modelPackageVersion: 1.5 })).toEqual(['Bad/Model:modelPackageVersion 1.5']);
  });

  test('fails if network options come without a vpc, logs are kept under a year, or two key sources are given', () => {
    const key = kms.Key.fromKeyArn(scope, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(problemsOf({
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, securityGroups: [], logRetention: logs.RetentionDays.SIX_MONTHS,
      logEncryptionKey: key, keys: new KeyRing(scope, 'Keys'),
    })).toEqual([
      "Bad/Model:keys 'a key ring together with logEncryptionKey'",
      "Bad/Model:vpcSubnets 'a value without vpc'",
      "Bad/Model:securityGroups 'a value without vpc'",
      "Bad/Model:logRetention '180 days'",
    ]);
    expect(problemsOf({ logRetention: logs.RetentionDays.INFINITE })).toEqual(["Bad/Model:logRetention 'RetentionDays.INFINITE'"]);
  });

  test('fails if the required image digest is not a digest', () => {
    expect(problemsOf({ requiredImageDigest: 'latest' })).toEqual(["Bad/Model:requiredImageDigest 'latest'"]);
  });
});

describe('ApprovedModel guarding an image pinned elsewhere', () => {
  const guardStack = new Stack(new App(), 'Guard');
  const pinned = `sha256:${'ab'.repeat(32)}`;
  new ApprovedModel(guardStack, 'Guard', { registry: ModelRegistry.fromModelPackageGroupName(guardStack, 'Group', 'fraud'), requiredImageDigest: pinned });

  test('passes the digest to the resolver, which fails the deployment unless the approved version runs that image', () => {
    Template.fromStack(guardStack).hasResourceProperties('Custom::RegulatedMlopsApprovedModel', { ModelPackageGroupName: 'fraud', RequiredImageDigest: pinned });
  });
});

describe('ApprovedModel compliance', () => {
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

  test('cdk-nag finds nothing unacknowledged (resolver: DLQ, VPC, runtime; framework: AWS-owned; IAM5 wildcards, each with a reason)', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(nagFindings(optionsStack)).toEqual([]);
  });
});
