import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { KeyPurpose, KeyRing, keyUserTag } from '../../../constructs/security/key-ring';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

const stack = new Stack(new App(), 'Keys');
const admin = new iam.Role(stack, 'KeyAdmin', { assumedBy: new iam.AccountRootPrincipal() });
const ring = new KeyRing(stack, 'Ring', { administrators: [admin] });
const allPurposes = Object.values(KeyPurpose).map((p) => ring.key(p));
const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
const bucketUser = new iam.Role(stack, 'BucketUser', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
ring.key(KeyPurpose.LOGS).grantDecrypt(reader);
new s3.Bucket(stack, 'Bucket', { encryptionKey: ring.key(KeyPurpose.DATA) }).grantRead(bucketUser);
const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/analyst');
ring.key(KeyPurpose.MODEL_ARTIFACTS).grantEncryptDecrypt(imported);
new logs.LogGroup(stack, 'Logs', { encryptionKey: ring.key(KeyPurpose.LOGS), retention: logs.RetentionDays.ONE_YEAR });
const template = Template.fromStack(stack);
const keyPolicy = (description: string) => Object.values<any>(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp(description) } }))[0].Properties.KeyPolicy.Statement as any[];

describe('KeyRing', () => {
  test('hands out one key per purpose, the same key on every request', () => {
    expect(ring.key(KeyPurpose.DATA)).toBe(allPurposes[0]);
    template.resourceCountIs('AWS::KMS::Key', 4);
  });

  test('keys rotate yearly, wait 30 days before deletion and are retained with the stack', () => {
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true, RotationPeriodInDays: 365, PendingWindowInDays: 30 });
    template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('administrators manage the key but cannot use it or create grants', () => {
    for (const sid of ['AccountAdministersThroughIam', 'KeyAdministrators']) {
      const statement = keyPolicy('data key').find((s) => s.Sid === sid);
      expect(statement.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
      expect(statement.Action.some((a: string) => /^kms:(\*|Encrypt|Decrypt|GenerateDataKey|ReEncrypt|Create\*|CreateGrant)/.test(a))).toBe(false);
    }
  });

  test('users are the principals marked with the purpose tag', () => {
    expect(keyPolicy('data key').find((s) => s.Sid === 'TaggedKeyUsers')).toMatchObject({
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Condition: { StringEquals: { 'aws:PrincipalTag/regulated-mlops:kms-data': 'use' } },
    });
  });

  test('every grant path marks the grantee: direct key grants and bucket grants alike', () => {
    template.hasResourceProperties('AWS::IAM::Role', { Tags: [{ Key: keyUserTag(KeyPurpose.LOGS), Value: 'use' }], AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }) });
    const tagged = Object.values<any>(template.findResources('AWS::IAM::Role')).map((r) => (r.Properties.Tags ?? []).map((t: any) => t.Key)).flat();
    expect(tagged).toEqual(expect.arrayContaining([keyUserTag(KeyPurpose.LOGS), keyUserTag(KeyPurpose.DATA)]));
  });

  test('a principal that cannot be tagged here is named in the key policy instead', () => {
    expect(keyPolicy('model-artifacts key')).toEqual(expect.arrayContaining([
      expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::111122223333:role/analyst' }, Action: expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']) }),
    ]));
  });

  test('CreateGrant only through the purpose services and only for AWS resources', () => {
    const grants = keyPolicy('model-artifacts key').find((s) => s.Sid === 'GrantsOnlyForServiceResources');
    expect(grants.Condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
    expect(JSON.stringify(grants.Condition.StringEquals['kms:ViaService'])).toMatch(/sagemaker\..*ecr\./);
  });

  test('CloudWatch Logs may use the logs key only for log groups of this account and region', () => {
    expect(keyPolicy('logs key').find((s) => s.Sid === 'CloudWatchLogsInThisAccount').Condition).toHaveProperty(['ArnLike', 'kms:EncryptionContext:aws:logs:arn']);
  });

  test('CloudTrail may encrypt with the audit key only for trails of this account', () => {
    const statement = keyPolicy('audit key').find((s) => s.Sid === 'CloudTrailEncryptsLogs');
    expect(statement).toMatchObject({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*' });
    expect(statement.Condition.StringEquals).toHaveProperty('aws:SourceAccount');
  });

  test('imported keys are handed out by purpose, and a missing purpose is an error with the fix', () => {
    const s = new Stack(new App(), 'Imported');
    const importedRing = KeyRing.fromKeyArns(s, 'Ring', { [KeyPurpose.DATA]: 'arn:aws:kms:eu-west-1:111122223333:key/abc' });
    expect(importedRing.key(KeyPurpose.DATA).keyArn).toBe('arn:aws:kms:eu-west-1:111122223333:key/abc');
    expect(importedRing.key(KeyPurpose.DATA)).toBe(importedRing.key(KeyPurpose.DATA));
    expect(errorOf(() => importedRing.key(KeyPurpose.AUDIT)).message).toContain('Imported/Ring:audit: received nothing (undefined); allowed: one of the imported purposes (data)');
  });

  test('fails with every bad duration at once', () => {
    const error = errorOf(() => new KeyRing(new Stack(new App(), 'Bad'), 'Ring', { rotationPeriod: Duration.days(30), pendingWindow: Duration.days(3) }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.problems.map((p) => `${p.path} ${p.received} ${p.allowed}`)).toEqual([
      "Bad/Ring:rotationPeriod '30 days' 90 to 2560 days",
      "Bad/Ring:pendingWindow '3 days' 7 to 30 days",
    ]);
  });

  test('snapshot', () => expect(template.toJSON()).toMatchSnapshot());

  describe('with default props, every purpose', () => {
    const defaults = new Stack(new App(), 'DefaultKeys');
    const defaultRing = new KeyRing(defaults, 'Ring');
    for (const purpose of Object.values(KeyPurpose)) defaultRing.key(purpose);

    test('passes every pack, with no acknowledgment', () => {
      const result = complianceOf(defaults, EVERY_RULE_PACKS);
      expect(findingLines(result)).toEqual([]);
      expect(acknowledgmentLines(result)).toEqual([]);
    });

    test('cdk-nag finds nothing unacknowledged', () => expect(nagFindings(defaults)).toEqual([]));
  });
});
