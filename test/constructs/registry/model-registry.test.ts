import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelRegistry, ModelRegistryProps, RiskTier } from '../../../constructs/registry/model-registry';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import inventoryTags from '../../../lib/policy/rules/aws/sagemaker/model-package-group-inventory-tags';
import groupPolicyScoped from '../../../lib/policy/rules/aws/sagemaker/model-package-group-policy-scoped';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

const app = new App();
const stack = new Stack(app, 'Registry');
const registry = new ModelRegistry(stack, 'CreditRisk', { owner: 'credit-models', riskTier: RiskTier.HIGH });
const idOf = (construct: { node: { defaultChild?: unknown } }, scope = stack) => scope.getLogicalId(construct.node.defaultChild as never);
const partitionArn = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });
const sagemakerArn = (resource: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]],
});

// Options a second stack shows: a named, shared and described group, a key ring, a review topic, rules and grants.
const optionsStack = new Stack(app, 'RegistryOptions');
const keys = new KeyRing(optionsStack, 'Keys');
const reviewTopic = new sns.Topic(optionsStack, 'Review', { masterKey: keys.key(KeyPurpose.DATA), enforceSSL: true });
const shared = new ModelRegistry(optionsStack, 'CreditRisk', {
  modelPackageGroupName: 'credit-risk-pd', description: 'Probability of default, retail credit', modelId: 'MRM-0042',
  owner: 'credit-risk-models@bank.example', riskTier: RiskTier.MEDIUM, readAccounts: ['444455556666', '777788889999'], keys, reviewTopic,
});
const approvedRule = shared.onApproved('Redeploy', { description: 'Approved versions trigger the deploy pipeline' });
const reader = new iam.Role(optionsStack, 'Reader', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
shared.grantRead(reader);
const trainer = new iam.Role(optionsStack, 'Trainer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
shared.grantRegister(trainer);
const template = Template.fromStack(stack);
const options = Template.fromStack(optionsStack);
const versionsArn = sagemakerArn('model-package/credit-risk-pd/*');
const groupArn = sagemakerArn('model-package-group/credit-risk-pd');
const statementsOf = (role: iam.Role) => Object.values<any>(options.findResources('AWS::IAM::Policy', {
  Properties: { Roles: [{ Ref: optionsStack.getLogicalId(role.node.defaultChild as never) }] },
}))[0].Properties.PolicyDocument.Statement;

describe('ModelRegistry defaults', () => {
  test('creates a model package group with a generated, deterministic, valid name', () => {
    expect(registry.modelPackageGroupName).toBe('registry-creditrisk-f518cbef');
    expect(registry.modelPackageGroupName).toMatch(/^[a-z0-9](-*[a-z0-9])*$/);
    const again = new ModelRegistry(new Stack(new App(), 'Registry'), 'CreditRisk', { owner: 'x', riskTier: RiskTier.LOW });
    expect(again.modelPackageGroupName).toBe(registry.modelPackageGroupName);
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'registry-creditrisk-f518cbef' });
  });

  test('a generated name stays within 63 characters for a long construct path', () => {
    const deep = new ModelRegistry(new Stack(new App(), 'A'.repeat(60)), 'B'.repeat(60), { owner: 'x', riskTier: RiskTier.LOW });
    expect(deep.modelPackageGroupName.length).toBeLessThanOrEqual(63);
    expect(deep.modelPackageGroupName).toMatch(/^[a-z0-9](-*[a-z0-9])*$/);
  });

  test('tags the group for the model inventory: model-id (the group name), owner, risk-tier', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      Tags: [
        { Key: 'model-id', Value: 'registry-creditrisk-f518cbef' }, { Key: 'owner', Value: 'credit-models' }, { Key: 'risk-tier', Value: 'High' },
      ],
    });
  });

  test('retains the group (the inventory record) when the stack is deleted', () => {
    template.hasResource('AWS::SageMaker::ModelPackageGroup', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('has no group policy, so no other account can read it', () => {
    template.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupPolicy: Match.absent() });
  });

  test('uses the MODEL_ARTIFACTS key of its own key ring for package and card content', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('model-artifacts key \\(Registry/CreditRisk/Keys\\)') });
    expect(stack.resolve(registry.encryptionKey.keyArn)).toEqual({ 'Fn::GetAtt': [idOf(registry.encryptionKey as kms.Key), 'Arn'] });
  });

  test('creates no event rule until asked', () => {
    template.resourceCountIs('AWS::Events::Rule', 0);
  });

  test('names versions by ARN within the group', () => {
    expect(stack.resolve(registry.modelPackageArn('3'))).toEqual(sagemakerArn('model-package/registry-creditrisk-f518cbef/3'));
    expect(stack.resolve(registry.modelPackageGroupArn)).toEqual(sagemakerArn('model-package-group/registry-creditrisk-f518cbef'));
  });
});

describe('ModelRegistry options', () => {
  test('name, description and model id are taken as given', () => {
    options.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupName: 'credit-risk-pd', ModelPackageGroupDescription: 'Probability of default, retail credit',
      Tags: Match.arrayWith([{ Key: 'model-id', Value: 'MRM-0042' }, { Key: 'risk-tier', Value: 'Medium' }]),
    });
  });

  test('readAccounts get read-only access to the group and its versions, by name', () => {
    const principal = { AWS: [partitionArn('444455556666'), partitionArn('777788889999')] };
    options.hasResourceProperties('AWS::SageMaker::ModelPackageGroup', {
      ModelPackageGroupPolicy: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'CrossAccountReadGroup', Effect: 'Allow', Principal: principal, Action: 'sagemaker:DescribeModelPackageGroup', Resource: groupArn },
          {
            Sid: 'CrossAccountReadVersions', Effect: 'Allow', Principal: principal,
            Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'], Resource: versionsArn,
          },
        ],
      },
    });
  });

  test('readAccounts may decrypt package content through SageMaker only, in the key policy', () => {
    options.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('model-artifacts key'),
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: Match.stringLikeRegexp('^SageMakerReadFor'), Effect: 'Allow',
          Principal: { AWS: [partitionArn('444455556666'), partitionArn('777788889999')] },
          Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sagemaker.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        }]),
      },
    });
  });

  test('reviewTopic is told about every state change of the group', () => {
    options.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'], 'detail-type': ['SageMaker Model Package State Change'], detail: { ModelPackageGroupName: ['credit-risk-pd'] },
      },
      Targets: [{ Arn: { Ref: optionsStack.getLogicalId(reviewTopic.node.defaultChild as never) }, Id: 'Target0' }],
    });
  });

  test('onApproved matches approvals of this group exactly as documented (sagemaker.md §8)', () => {
    expect(optionsStack.resolve((approvedRule.node.defaultChild as any).eventPattern)).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: ['credit-risk-pd'], ModelApprovalStatus: ['Approved'] },
    });
    options.hasResourceProperties('AWS::Events::Rule', { Description: 'Approved versions trigger the deploy pipeline' });
  });

  test('grantRead gives describe/list on the group and decrypt through SageMaker, nothing that writes', () => {
    const statements = statementsOf(reader);
    expect(statements).toEqual([
      { Action: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage'], Effect: 'Allow', Resource: [groupArn, versionsArn] },
      { Action: 'sagemaker:ListModelPackages', Effect: 'Allow', Resource: '*' },
      {
        Action: ['kms:Decrypt', 'kms:DescribeKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [optionsStack.getLogicalId(keys.key(KeyPurpose.MODEL_ARTIFACTS).node.defaultChild as never), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sagemaker.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
  });

  test('grantRegister allows PendingManualApproval only and denies approving', () => {
    const statements = statementsOf(trainer);
    expect(statements).toEqual(expect.arrayContaining([
      {
        Action: 'sagemaker:CreateModelPackage', Effect: 'Allow', Resource: [groupArn, versionsArn],
        Condition: { StringEquals: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
      },
      {
        Action: 'sagemaker:CreateModelPackage', Effect: 'Deny', Resource: [groupArn, versionsArn],
        Condition: { StringNotEqualsIfExists: { 'sagemaker:ModelApprovalStatus': 'PendingManualApproval' } },
      },
      { Action: 'sagemaker:UpdateModelPackage', Effect: 'Deny', Resource: versionsArn },
    ]));
    expect(statements.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat())).not.toContain('sagemaker:UpdateModelPackage');
  });

  test('fromModelPackageGroupName references a group of this account and region', () => {
    const scope = new Stack(new App(), 'Import');
    const imported = ModelRegistry.fromModelPackageGroupName(scope, 'Group', 'credit-risk-pd');
    expect(scope.resolve(imported.modelPackageGroupArn)).toEqual(sagemakerArn('model-package-group/credit-risk-pd'));
    expect(imported.encryptionKey).toBeUndefined();
  });

  test('fromModelPackageGroupArn references a group of another account: name, account and version ARNs from the ARN', () => {
    const scope = new Stack(new App(), 'Import');
    const imported = ModelRegistry.fromModelPackageGroupArn(scope, 'Group', 'arn:aws:sagemaker:eu-west-1:444455556666:model-package-group/credit-risk-pd');
    expect(imported.modelPackageGroupName).toBe('credit-risk-pd');
    expect(imported.env).toEqual({ account: '444455556666', region: 'eu-west-1' });
    expect(scope.resolve(imported.modelPackageArn('7'))).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:eu-west-1:444455556666:model-package/credit-risk-pd/7']],
    });
    imported.onApproved('Approved');
    Template.fromStack(scope).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { ModelPackageGroupName: ['credit-risk-pd'], ModelApprovalStatus: ['Approved'] } },
    });
  });
});

describe('ModelRegistry validation', () => {
  const base: ModelRegistryProps = { owner: 'credit-models', riskTier: RiskTier.HIGH };
  const build = (props: Partial<ModelRegistryProps>) => () => new ModelRegistry(new Stack(new App(), 'Bad'), 'Registry', { ...base, ...props } as ModelRegistryProps);
  const problemsOf = (props: Partial<ModelRegistryProps>) => errorOf(build(props)).problems.map((p) => `${p.path} ${p.received}`);

  test('fails if the group name is too long or not a SageMaker name, and says what is allowed', () => {
    const error = errorOf(build({ modelPackageGroupName: 'credit_risk' }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/Registry:modelPackageGroupName: received 'credit_risk'; allowed: 1 to 63 letters, digits and hyphens, " +
      'starting and ending with a letter or digit. Fix: use a name such as credit-risk-pd, or omit it for a generated one');
    expect(problemsOf({ modelPackageGroupName: 'a'.repeat(64) })).toEqual([`Bad/Registry:modelPackageGroupName '${'a'.repeat(64)}'`]);
    expect(problemsOf({ modelPackageGroupName: '-credit' })).toEqual(["Bad/Registry:modelPackageGroupName '-credit'"]);
  });

  test('fails if owner, model id or risk tier are missing or invalid, all at once', () => {
    expect(problemsOf({ owner: '', modelId: 'a*b', riskTier: 'Critical' as RiskTier })).toEqual([
      "Bad/Registry:owner ''", "Bad/Registry:modelId 'a*b'", "Bad/Registry:riskTier 'Critical'",
    ]);
    expect(errorOf(build({ riskTier: 'high' as RiskTier })).message).toContain(
      "Bad/Registry:riskTier: received 'high'; allowed: High, Medium, Low. Fix: set riskTier to RiskTier.HIGH");
    expect(problemsOf({ owner: undefined })).toEqual(['Bad/Registry:owner nothing (undefined)']);
  });

  test('fails if a read account is not a 12-digit account id, or repeated', () => {
    const error = errorOf(build({ readAccounts: ['*', 'arn:aws:iam::444455556666:root', '444455556666', '444455556666'] }));
    expect(error.message).toContain("Bad/Registry:readAccounts[0]: received '*'; allowed: a 12-digit AWS account id");
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Registry:readAccounts[0] '*'", "Bad/Registry:readAccounts[1] 'arn:aws:iam::444455556666:root'", "Bad/Registry:readAccounts[3] '444455556666'",
    ]);
    expect(problemsOf({ readAccounts: [] })).toEqual(['Bad/Registry:readAccounts []']);
  });

  test('fails if the description is over 1024 characters, or both a key and a key ring are given', () => {
    const scope = new Stack(new App(), 'Bad');
    const key = kms.Key.fromKeyArn(scope, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const error = errorOf(() => new ModelRegistry(scope, 'Registry', { ...base, description: 'd'.repeat(1025), encryptionKey: key, keys: new KeyRing(scope, 'Keys') }));
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Registry:description '1025 characters'", "Bad/Registry:keys 'a key ring together with encryptionKey'",
    ]);
  });

  test('fails to import without exactly one of name and ARN, or with an invalid name', () => {
    const scope = new Stack(new App(), 'Bad');
    expect(errorOf(() => ModelRegistry.fromModelPackageGroupAttributes(scope, 'None', {})).message).toContain(
      'Bad/None:modelPackageGroupName: received nothing (undefined); allowed: exactly one of modelPackageGroupName and modelPackageGroupArn');
    expect(errorOf(() => ModelRegistry.fromModelPackageGroupAttributes(scope, 'Both', {
      modelPackageGroupName: 'a', modelPackageGroupArn: 'arn:aws:sagemaker:eu-west-1:444455556666:model-package-group/a',
    })).problems.map((p) => p.received)).toEqual(["'both a name and an ARN'"]);
    expect(errorOf(() => ModelRegistry.fromModelPackageGroupName(scope, 'Bad', 'no spaces')).problems.map((p) => p.path)).toEqual(['Bad/Bad:modelPackageGroupName']);
  });
});

describe('ModelRegistry compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every pack, with no acknowledgment', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  test('defaults and options pass the registry rules MLOPS-SM-010 and MLOPS-SM-011 (not yet in the catalog)', () => {
    const groupId = idOf(registry);
    expect(verdictsOnStack(inventoryTags, stack)[groupId]).toBe('pass');
    expect(verdictsOnStack(groupPolicyScoped, stack)[groupId]).toBe('not-applicable');
    const sharedId = idOf(shared, optionsStack);
    expect(verdictsOnStack(inventoryTags, optionsStack)[sharedId]).toBe('pass');
    expect(verdictsOnStack(groupPolicyScoped, optionsStack)[sharedId]).toBe('pass');
  });

  test('the options stack passes every pack too', () => {
    expect(findingLines(complianceOf(optionsStack, EVERY_RULE_PACKS))).toEqual([]);
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
