import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../../constructs/security/access-log-bucket';
import { AuditTrail } from '../../../constructs/security/audit-trail';
import { BucketContents, EncryptedBucket, EncryptedBucketProps } from '../../../constructs/security/encrypted-bucket';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { DATA_CLASS_TAG } from '../../../lib/policy/rules/aws/cloudtrail/model-buckets-s3-data-events';
import { acknowledgmentLines, complianceOf, complianceOfStacks, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

const app = new App();
const stack = new Stack(app, 'Buckets');
const bucket = new EncryptedBucket(stack, 'Data');
const idOf = (construct: { node: { defaultChild?: unknown } }, scope = stack) => scope.getLogicalId(construct.node.defaultChild as never);
const bucketId = idOf(bucket.bucket);
const keyId = idOf(bucket.encryptionKey as kms.Key);
const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
const objects = { 'Fn::Join': ['', [bucketArn, '/*']] };
const statements = () => Object.values<any>(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0]
  .Properties.PolicyDocument.Statement;

// Options a second stack shows: a shared key ring and log bucket, Object Lock, replication, classification, grants.
const optionsStack = new Stack(app, 'BucketOptions');
const keys = new KeyRing(optionsStack, 'Keys');
const sharedLogs = new AccessLogBucket(optionsStack, 'AccessLogs');
const replica = new EncryptedBucket(optionsStack, 'Replica', { keys, accessLogBucket: sharedLogs.bucket });
const models = new EncryptedBucket(optionsStack, 'Models', {
  keys, purpose: KeyPurpose.MODEL_ARTIFACTS, accessLogBucket: sharedLogs.bucket, accessLogPrefix: 'models/', dataClassification: 'confidential',
  objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention: Duration.days(2557) }, replicationDestination: replica.bucket,
});
const trainer = new iam.Role(optionsStack, 'Trainer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
models.grantReadWrite(trainer);
replica.grantRead(trainer);
const template = Template.fromStack(stack);
const options = Template.fromStack(optionsStack);
const modelsId = idOf(models.bucket, optionsStack);
const modelKeyId = idOf(keys.key(KeyPurpose.MODEL_ARTIFACTS), optionsStack);
const dataKeyId = idOf(keys.key(KeyPurpose.DATA), optionsStack);

describe('EncryptedBucket defaults', () => {
  test('encrypts with SSE-KMS under the DATA key of its own key ring, with a bucket key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('data key \\(Buckets/Data/Keys\\)') });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{
        BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      }] },
    });
  });

  test('is versioned', () => {
    template.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: Match.anyValue(), VersioningConfiguration: { Status: 'Enabled' } });
  });

  test('blocks all public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('disables ACLs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(), OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('logs server access into its own access-log bucket, partitioned by source and date', () => {
    const logBucketId = idOf(bucket.accessLogBucket as s3.Bucket);
    expect(bucket.accessLogBucket.node.path).toBe('Buckets/Data/AccessLogs/Resource');
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'access-logs/',
        TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
      },
    });
  });

  test('expires noncurrent versions after a year and aborts incomplete uploads after 7 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: [{
        Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 365 },
        ExpiredObjectDeleteMarker: true, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      }] },
    });
  });

  test('is retained when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('has no Object Lock, replication or classification tag unless asked', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.anyValue(), ObjectLockEnabled: Match.absent(), ReplicationConfiguration: Match.absent(), Tags: Match.absent(),
    });
  });

  test('denies requests without TLS and below TLS 1.2', () => {
    expect(statements()).toEqual(expect.arrayContaining([
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: [bucketArn, objects] },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: [bucketArn, objects] },
    ]));
  });

  test('denies uploads that ask for another encryption, only when they send the header', () => {
    expect(statements()).toContainEqual({
      Sid: 'DenyUploadsWithOtherEncryption', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: objects,
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'false' }, StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
  });

  test("denies uploads that name a key other than the bucket's, by ARN", () => {
    expect(statements()).toContainEqual({
      Sid: 'DenyUploadsNamingAnotherKey', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: objects,
      Condition: {
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [keyId, 'Arn'] } },
      },
    });
  });

  test('denies uploads that ask for aws:kms without a key (which S3 would encrypt with aws/s3)', () => {
    expect(statements()).toContainEqual({
      Sid: 'DenyUploadsWithAwsManagedKey', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Resource: objects,
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'false', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
    });
  });

  test('no statement denies an upload that sends no encryption header (the default encryption applies)', () => {
    const uploadDenials = statements().filter((s: any) => s.Effect === 'Deny' && s.Action === 's3:PutObject');
    for (const statement of uploadDenials) {
      expect(Object.keys(statement.Condition)).not.toContainEqual(expect.stringMatching(/IfExists$/));
      expect(Object.values(statement.Condition.Null)).toContain('false');
    }
  });
});

describe('EncryptedBucket options', () => {
  test('keys with purpose selects the key ring\'s key', () => {
    options.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [modelKeyId, 'Arn'] } },
      })] },
    });
    expect(options.findResources('AWS::KMS::Key')).toEqual({ [dataKeyId]: expect.anything(), [modelKeyId]: expect.anything() });
  });

  test('a shared AccessLogBucket receives the logs of every bucket, under each prefix', () => {
    expect(optionsStack.node.tryFindChild('Models')?.node.tryFindChild('AccessLogs')).toBeUndefined();
    options.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true, LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: idOf(sharedLogs.bucket, optionsStack) }, LogFilePrefix: 'models/' }),
    });
  });

  test('objectLock sets the default retention', () => {
    options.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
    });
  });

  test('dataClassification tags the bucket', () => {
    options.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true, Tags: [{ Key: 'regulated-mlops:data-classification', Value: 'confidential' }],
    });
  });

  test('replicationDestination replicates SSE-KMS objects under the destination\'s key, with an unnamed role', () => {
    options.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ModelsReplicationRole'), 'Arn'] },
        Rules: [Match.objectLike({
          Status: 'Enabled',
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
          Destination: { Bucket: { 'Fn::GetAtt': [idOf(replica.bucket, optionsStack), 'Arn'] }, EncryptionConfiguration: { ReplicaKmsKeyID: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } } },
        })],
      },
    });
    options.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] }),
      RoleName: Match.absent(),
    });
  });

  test('the replication role may decrypt the source key and encrypt with the replica key, tagged for both', () => {
    options.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ModelsReplicationRole') }],
      PolicyDocument: { Statement: Match.arrayWith([
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [modelKeyId, 'Arn'] } },
        { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } },
      ]) },
    });
    options.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 's3.amazonaws.com' } })] }),
      Tags: Match.arrayWith([{ Key: 'regulated-mlops:kms-data', Value: 'use' }, { Key: 'regulated-mlops:kms-model-artifacts', Value: 'use' }]),
    });
  });

  test('grantReadWrite and grantRead grant the bucket and the key, and tag the role as a user of each key', () => {
    const trainerPolicy = Object.values<any>(options.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: idOf(trainer, optionsStack) }] } }))[0];
    const statementsOf = trainerPolicy.Properties.PolicyDocument.Statement;
    expect(statementsOf).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['s3:GetObject*', 's3:PutObject']), Resource: [{ 'Fn::GetAtt': [modelsId, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [modelsId, 'Arn'] }, '/*']] }] }),
      expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']), Resource: { 'Fn::GetAtt': [modelKeyId, 'Arn'] } }),
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } }),
    ]));
    options.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] }),
      Tags: [{ Key: 'regulated-mlops:kms-data', Value: 'use' }, { Key: 'regulated-mlops:kms-model-artifacts', Value: 'use' }],
    });
  });

  test('an encryptionKey is used as given', () => {
    const own = new Stack(new App(), 'OwnKey');
    const key = kms.Key.fromKeyArn(own, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const given = new EncryptedBucket(own, 'Data', { encryptionKey: key });
    expect(given.encryptionKey).toBe(key);
    expect(given.node.tryFindChild('Keys')).toBeUndefined();
  });
});

describe('EncryptedBucket validation', () => {
  const build = (props: EncryptedBucketProps) => () => new EncryptedBucket(new Stack(new App(), 'Bad'), 'Data', props);
  const key = (scope: Stack) => kms.Key.fromKeyArn(scope, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');

  test('fails if the Object Lock retention is 0 days', () => {
    const error = errorOf(build({ objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(0) } }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/Data:objectLock.retention: received '0 days'; allowed: whole days, at least 1. Fix: use Duration.days(2557)");
  });

  test('fails if the Object Lock retention is over 100 years', () => {
    const error = errorOf(build({ objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention: Duration.days(36501) } }));
    expect(error.message).toContain("Bad/Data:objectLock.retention: received '36501 days'; allowed: at most 100 years");
  });

  test('fails if lifecycleRules is empty or only disabled', () => {
    expect(errorOf(build({ lifecycleRules: [] })).message).toContain(
      "Bad/Data:lifecycleRules: received 'no rules'; allowed: at least one enabled rule. Fix: omit lifecycleRules for the defaults");
    expect(errorOf(build({ lifecycleRules: [{ enabled: false, noncurrentVersionExpiration: Duration.days(30) }] })).message).toContain(
      "Bad/Data:lifecycleRules: received 'only disabled rules'");
  });

  test('fails if a lifecycle duration is not whole days or a version count is out of range', () => {
    const error = errorOf(build({ lifecycleRules: [{ expiration: Duration.hours(12), noncurrentVersionsToRetain: 101, noncurrentVersionExpiration: Duration.days(30) }] }));
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Data:lifecycleRules[0].expiration '12 hours'",
      'Bad/Data:lifecycleRules[0].noncurrentVersionsToRetain 101',
    ]);
  });

  test('fails if both encryptionKey and keys (and a purpose) are given', () => {
    const scope = new Stack(new App(), 'Bad');
    const error = errorOf(() => new EncryptedBucket(scope, 'Data', { encryptionKey: key(scope), keys: new KeyRing(scope, 'Keys'), purpose: KeyPurpose.DATA }));
    expect(error.problems.map((p) => p.path)).toEqual(['Bad/Data:keys', 'Bad/Data:purpose']);
    expect(error.message).toContain('allowed: encryptionKey or keys, not both');
  });

  test('fails if replication has no key for the replicas, or a key without a destination', () => {
    const scope = new Stack(new App(), 'Bad');
    const destination = s3.Bucket.fromBucketName(scope, 'Elsewhere', 'replica-bucket');
    expect(errorOf(() => new EncryptedBucket(scope, 'Data', { replicationDestination: destination })).message).toContain(
      'Bad/Data:replicationKey: received nothing (undefined); allowed: a customer-managed key for the replicas');
    expect(errorOf(() => new EncryptedBucket(scope, 'Other', { replicationKey: key(scope) })).message).toContain(
      "Bad/Other:replicationKey: received 'a key without replicationDestination'");
  });

  test('fails if the access-log bucket is KMS-encrypted (S3 never delivers logs to it)', () => {
    const scope = new Stack(new App(), 'Bad');
    const kmsBucket = new EncryptedBucket(scope, 'Other');
    expect(errorOf(() => new EncryptedBucket(scope, 'Data', { accessLogBucket: kmsBucket.bucket })).message).toContain(
      "Bad/Data:accessLogBucket: received 'a bucket encrypted with a KMS key'; allowed: a bucket with SSE-S3 default encryption");
  });

  test('fails if the data classification is not a valid tag value', () => {
    const error = errorOf(build({ dataClassification: 'secret; drop table' }));
    expect(error.message).toContain("Bad/Data:dataClassification: received 'secret; drop table'; allowed: 1 to 256 letters, digits, spaces and _ . : / = + - @");
  });

  test('lists every problem in one error', () => {
    const error = errorOf(build({ lifecycleRules: [], dataClassification: '', objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retention: Duration.days(0) } }));
    expect(error.problems.map((p) => p.path)).toEqual(['Bad/Data:objectLock.retention', 'Bad/Data:lifecycleRules', 'Bad/Data:dataClassification']);
  });
});

describe('EncryptedBucket compliance', () => {
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

describe('EncryptedBucket contents and the audit trail', () => {
  // A model bucket registered with the trail of the same app: the data-event rule follows it across stacks.
  const auditApp = new App();
  const foundation = new Stack(auditApp, 'Foundation');
  const trail = new AuditTrail(foundation, 'AuditTrail');
  const runtime = new Stack(auditApp, 'Runtime');
  const registered = new EncryptedBucket(runtime, 'Models', { contents: BucketContents.MODEL_ARTIFACTS, auditTrail: trail });
  const unregistered = new EncryptedBucket(runtime, 'Capture', { contents: BucketContents.INFERENCE_CAPTURE });

  test('contents is written as the data-class tag the audit rule reads', () => {
    Template.fromStack(runtime).hasResourceProperties('AWS::S3::Bucket', {
      Tags: Match.arrayWith([{ Key: DATA_CLASS_TAG, Value: 'model-artifacts' }]),
    });
  });

  test('a bucket given an audit trail is covered by its S3 data events; one without fails MLOPS-CT-010', () => {
    const result = complianceOfStacks([foundation, runtime]);
    const verdict = (b: EncryptedBucket) => result.resources.find((r) => r.constructPath === b.bucket.node.defaultChild!.node.path)!
      .evaluations.find((e) => e.ruleId === 'MLOPS-CT-010')?.status;
    expect(verdict(registered)).toBe('pass');
    expect(verdict(unregistered)).toBe('fail');
  });
});
