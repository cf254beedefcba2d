import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ImageRepository, ImageRepositoryProps } from '../../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const app = new App();
const stack = new Stack(app, 'Images');
const repository = new ImageRepository(stack, 'Serving');
const idOf = (construct: { node: { defaultChild?: unknown } }, scope = stack) => scope.getLogicalId(construct.node.defaultChild as never);

// Options a second stack shows: a shared key ring, cross-account pull, release retention, an extra rule, grants.
const optionsStack = new Stack(app, 'ImageOptions');
const keys = new KeyRing(optionsStack, 'Keys');
const shared = new ImageRepository(optionsStack, 'Serving', {
  keys, pullAccounts: ['111122223333', '444455556666'], keepTaggedReleases: 50, releaseTagPrefixes: ['model-'], untaggedExpiry: Duration.days(3),
  lifecycleRules: [{ tagPrefixList: ['dev-'], maxImageAge: Duration.days(14) }],
});
const builder = new iam.Role(optionsStack, 'Builder', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
shared.grantPush(builder);
const endpoint = new iam.Role(optionsStack, 'Endpoint', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
shared.grantPull(endpoint);

const template = Template.fromStack(stack);
const options = Template.fromStack(optionsStack);
const repositoryId = idOf(repository.repository);
const lifecycleOf = (t: Template) => {
  const text = new Capture();
  t.hasResourceProperties('AWS::ECR::Repository', { LifecyclePolicy: { LifecyclePolicyText: text } });
  return JSON.parse(text.asString()).rules;
};

describe('ImageRepository defaults', () => {
  test('encrypts images with the MODEL_ARTIFACTS key of its own key ring', () => {
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('model-artifacts key \\(Images/Serving/Keys\\)') });
    template.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [idOf(repository.encryptionKey as kms.Key), 'Arn'] } },
    });
  });

  test('scans images on push', () => {
    template.hasResourceProperties('AWS::ECR::Repository', { ImageScanningConfiguration: { ScanOnPush: true } });
  });

  test('has immutable tags', () => {
    template.hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'IMMUTABLE' });
  });

  test('keeps the newest 30 releases of each prefix, checked before the untagged rule, and expires untagged images after 7 days', () => {
    expect(lifecycleOf(template)).toEqual([
      { rulePriority: 1, description: 'Keep the newest 30 release images tagged v*', selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } },
      { rulePriority: 2, description: 'Keep the newest 30 release images tagged release-*', selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } },
      { rulePriority: 3, description: 'Expire untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
    ]);
  });

  test('has no repository policy, so no other account can pull', () => {
    template.hasResourceProperties('AWS::ECR::Repository', { RepositoryPolicyText: Match.absent() });
  });

  test('has a generated name and is retained when the stack is deleted', () => {
    template.hasResource('AWS::ECR::Repository', {
      Properties: Match.objectLike({ RepositoryName: Match.absent(), EmptyOnDelete: Match.absent() }), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
  });

  test('imageUri pins an image by digest', () => {
    expect(stack.resolve(repository.imageUri(DIGEST))).toEqual({
      'Fn::Join': ['', [
        { 'Fn::Select': [4, { 'Fn::Split': [':', { 'Fn::GetAtt': [repositoryId, 'Arn'] }] }] },
        '.dkr.ecr.',
        { 'Fn::Select': [3, { 'Fn::Split': [':', { 'Fn::GetAtt': [repositoryId, 'Arn'] }] }] },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/',
        { Ref: repositoryId },
        `@${DIGEST}`,
      ]],
    });
  });

  test('imageUri accepts a digest known only at deploy time', () => {
    expect(() => repository.imageUri(Token.asString({ Ref: 'ImageDigest' }))).not.toThrow();
  });
});

describe('ImageRepository options', () => {
  test('keys selects the key ring\'s MODEL_ARTIFACTS key', () => {
    options.hasResourceProperties('AWS::ECR::Repository', {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [idOf(keys.key(KeyPurpose.MODEL_ARTIFACTS), optionsStack), 'Arn'] } },
    });
  });

  test('pullAccounts allows pull to those accounts only, never to everyone', () => {
    options.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryPolicyText: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'CrossAccountPull', Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Principal: { AWS: ['111122223333', '444455556666'].map((a) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${a}:root`]] })) },
        }],
      },
    });
  });

  test('release prefixes, retention, extra rules and untagged expiry shape the lifecycle, releases first', () => {
    expect(lifecycleOf(options).map((r: any) => [r.rulePriority, r.selection])).toEqual([
      [1, { tagStatus: 'tagged', tagPrefixList: ['model-'], countType: 'imageCountMoreThan', countNumber: 50 }],
      [2, { tagStatus: 'tagged', tagPrefixList: ['dev-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }],
      [3, { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 3 }],
    ]);
  });

  test('grantPush and grantPull give ECR actions on this repository only (ECR uses the key through its own grant)', () => {
    const policyOf = (role: iam.Role) => Object.values<any>(options.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: idOf(role, optionsStack) }] } }))[0]
      .Properties.PolicyDocument.Statement;
    const repositoryArn = { 'Fn::GetAtt': [idOf(shared.repository, optionsStack), 'Arn'] };
    expect(policyOf(builder)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['ecr:PutImage', 'ecr:UploadLayerPart']), Resource: repositoryArn }),
    ]));
    expect(policyOf(endpoint)).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'], Resource: repositoryArn }),
    ]));
    expect(JSON.stringify([policyOf(builder), policyOf(endpoint)])).not.toContain('kms:');
  });

  test('fromRepositoryArn references an existing repository', () => {
    const imported = ImageRepository.fromRepositoryArn(new Stack(new App(), 'Import'), 'Serving', 'arn:aws:ecr:eu-west-1:111122223333:repository/models/serving');
    expect(imported.repositoryName).toBe('models/serving');
    expect(imported.repositoryUriForDigest(DIGEST)).toContain(`/models/serving@${DIGEST}`);
  });
});

describe('ImageRepository validation', () => {
  const build = (props: ImageRepositoryProps) => () => new ImageRepository(new Stack(new App(), 'Bad'), 'Serving', props);
  const pathsOf = (props: ImageRepositoryProps) => errorOf(build(props)).problems.map((p) => `${p.path} ${p.received}`);

  test('fails if a lifecycle rule would expire tagged releases', () => {
    const error = errorOf(build({ lifecycleRules: [{ tagPrefixList: ['v'], maxImageCount: 5 }] }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/Serving:lifecycleRules[0]: received 'a rule selecting 'v''; allowed: tags that cannot start with a release prefix (v, release-)");
    expect(pathsOf({ lifecycleRules: [
      { tagStatus: ecr.TagStatus.ANY, maxImageCount: 100 },
      { tagPatternList: ['*-rc'], maxImageAge: Duration.days(30) },
      { tagPrefixList: ['re'], maxImageAge: Duration.days(30) },
      { tagPatternList: ['release-2024*'], maxImageAge: Duration.days(30) },
    ] })).toEqual([
      "Bad/Serving:lifecycleRules[0].tagStatus 'TagStatus.ANY'",
      "Bad/Serving:lifecycleRules[1] 'a rule selecting '*-rc''",
      "Bad/Serving:lifecycleRules[2] 'a rule selecting 're''",
      "Bad/Serving:lifecycleRules[3] 'a rule selecting 'release-2024*''",
    ]);
  });

  test('fails if a lifecycle rule selects untagged images or sets its own priority', () => {
    expect(pathsOf({ lifecycleRules: [
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) },
      { tagPrefixList: ['dev-'], maxImageAge: Duration.days(30), rulePriority: 1 },
    ] })).toEqual([
      "Bad/Serving:lifecycleRules[0].tagStatus 'TagStatus.UNTAGGED'",
      'Bad/Serving:lifecycleRules[1].rulePriority 1',
    ]);
  });

  test('accepts rules on tags that cannot be releases', () => {
    expect(build({ lifecycleRules: [{ tagPrefixList: ['dev-'], maxImageAge: Duration.days(30) }, { tagPatternList: ['pr-*-build'], maxImageCount: 10 }] })).not.toThrow();
  });

  test('fails if a cross-account principal is not an account id', () => {
    const error = errorOf(build({ pullAccounts: ['*', 'arn:aws:iam::111122223333:root', '12345', '111122223333', '111122223333'] }));
    expect(error.message).toContain("Bad/Serving:pullAccounts[0]: received '*'; allowed: a 12-digit AWS account id. Fix: name the account by its id");
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Serving:pullAccounts[0] '*'",
      "Bad/Serving:pullAccounts[1] 'arn:aws:iam::111122223333:root'",
      "Bad/Serving:pullAccounts[2] '12345'",
      "Bad/Serving:pullAccounts[4] '111122223333'",
    ]);
  });

  test('fails if keepTaggedReleases or untaggedExpiry is out of range', () => {
    expect(pathsOf({ keepTaggedReleases: 0, untaggedExpiry: Duration.days(0) })).toEqual([
      'Bad/Serving:keepTaggedReleases 0',
      "Bad/Serving:untaggedExpiry '0 days'",
    ]);
    expect(pathsOf({ keepTaggedReleases: 1001 })).toEqual(['Bad/Serving:keepTaggedReleases 1001']);
    expect(pathsOf({ keepTaggedReleases: 2.5, untaggedExpiry: Duration.hours(12) })).toEqual([
      'Bad/Serving:keepTaggedReleases 2.5',
      "Bad/Serving:untaggedExpiry '12 hours'",
    ]);
  });

  test('fails if release prefixes are empty, wildcards or overlap', () => {
    expect(pathsOf({ releaseTagPrefixes: [] })).toEqual(['Bad/Serving:releaseTagPrefixes []']);
    expect(pathsOf({ releaseTagPrefixes: ['v*', 'v', 'v1', 'release-', 'release-'] })).toEqual([
      "Bad/Serving:releaseTagPrefixes[0] 'v*'",
      "Bad/Serving:releaseTagPrefixes[2] 'v1'",
      "Bad/Serving:releaseTagPrefixes[4] 'release-'",
    ]);
  });

  test('fails if both encryptionKey and keys are given', () => {
    const scope = new Stack(new App(), 'Bad');
    const key = kms.Key.fromKeyArn(scope, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const error = errorOf(() => new ImageRepository(scope, 'Serving', { encryptionKey: key, keys: new KeyRing(scope, 'Keys') }));
    expect(error.message).toContain('Bad/Serving:keys: received \'a key ring together with encryptionKey\'; allowed: encryptionKey or keys, not both');
  });

  test('fails if imageUri gets a tag or a malformed digest, and says how to get the digest', () => {
    const error = errorOf(() => repository.imageUri('latest'));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Images/Serving:imageUri(digest): received 'latest'; allowed: an image digest: 'sha256:' and 64 lowercase hex digits. " +
      'Fix: pass the imageDigest of the pushed image');
    expect(() => repository.imageUri('sha256:ABC')).toThrow(/imageUri\(digest\): received 'sha256:ABC'/);
  });
});

describe('ImageRepository compliance', () => {
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

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
