import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from '../../../constructs/security/access-log-bucket';
import { AuditTrail, AuditTrailProps } from '../../../constructs/security/audit-trail';
import { BucketContents, EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { EvaluationContext, EvaluationScope } from '../../../lib/policy/context';
import { templateDocument } from '../../../lib/policy/document';
import { runRule } from '../../../lib/policy/engine';
import modelBucketsDataEvents, { DATA_CLASS_TAG } from '../../../lib/policy/rules/aws/cloudtrail/model-buckets-s3-data-events';
import trailBucketObjectLock from '../../../lib/policy/rules/aws/s3/trail-bucket-object-lock';
import { acknowledgmentLines, complianceOf, complianceOfStacks, findingLines, nagFindings } from '../../compliance-harness';
import { FIXTURE_DATE, verdictOf, verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

// One trail with default props, recording the data events of a model bucket and a training-data bucket added later.
const stack = new Stack(new App(), 'Audit');
const audit = new AuditTrail(stack, 'AuditTrail');
const dataBucket = (id: string, purpose: KeyPurpose, dataClass: string) => {
  const bucket = new EncryptedBucket(stack, id, { purpose, accessLogBucket: audit.accessLogBucket }).bucket;
  Tags.of(bucket).add(DATA_CLASS_TAG, dataClass);
  return bucket;
};
const models = dataBucket('ModelArtifacts', KeyPurpose.MODEL_ARTIFACTS, 'model-artifacts');
const data = dataBucket('TrainingData', KeyPurpose.DATA, 'training-data');
audit.addDataEventBucket(models);
audit.addDataEventBucket(data);
audit.addDataEventBucket(data); // twice: recorded once
const template = Template.fromStack(stack);

const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const ring = audit.node.findChild('Keys') as KeyRing;
const auditKey = { 'Fn::GetAtt': [logicalId(ring.key(KeyPurpose.AUDIT)), 'Arn'] };
const logsKey = { 'Fn::GetAtt': [logicalId(ring.key(KeyPurpose.LOGS)), 'Arn'] };
const bucketId = logicalId(audit.bucket as s3.Bucket);
const logGroupId = logicalId(audit.logGroup as logs.LogGroup);
const trailName = audit.trail.trailName!;
const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:trail/${trailName}`]] };
const trailResource = () => template.toJSON().Resources[stack.getLogicalId(audit.trail)];
const bucketPolicy = () => Object.values<any>(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0];


describe('AuditTrail defaults', () => {
  test('records every region, global service events, and is logging', () => {
    expect(trailResource().Properties).toMatchObject({
      IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, IsLogging: true, IsOrganizationTrail: false,
    });
  });

  test('validates log files and encrypts them with the AUDIT key', () => {
    expect(trailResource().Properties).toMatchObject({ EnableLogFileValidation: true, KMSKeyId: auditKey, S3BucketName: { Ref: bucketId } });
  });

  test('has a deterministic generated name', () => {
    expect(trailName).toMatch(/^Audit-AuditTrail-[0-9A-F]{8}$/);
  });

  test('records API call rate and error rate insights', () => {
    expect(trailResource().Properties.InsightSelectors).toEqual([{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }]);
  });

  test('records reads and writes of the objects of every registered bucket, once each, with management events', () => {
    expect(trailResource().Properties.EventSelectors).toEqual([{
      IncludeManagementEvents: true,
      ReadWriteType: 'All',
      DataResources: [{
        Type: 'AWS::S3::Object',
        Values: [models, data].map((b) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(b), 'Arn'] }, '/']] })),
      }],
    }]);
  });

  test('delivers to CloudWatch Logs, encrypted with the LOGS key and kept a year', () => {
    expect(trailResource().Properties).toMatchObject({
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      CloudWatchLogsRoleArn: { 'Fn::GetAtt': [logicalId(audit.node.findChild('LogsRole') as iam.Role), 'Arn'] },
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { KmsKeyId: logsKey, RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
  });

  test('writes to CloudWatch Logs through a role only this trail can assume, with a managed policy on the log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'cloudtrail.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } }] },
    });
  });

  test('is created after the bucket policy and the role policy it depends on', () => {
    expect(trailResource().DependsOn).toEqual(expect.arrayContaining([
      stack.getLogicalId((audit.bucket as s3.Bucket).policy!.node.defaultChild as never),
      stack.getLogicalId(audit.node.findChild('LogsPolicy').node.defaultChild as never),
    ]));
  });

  test('locks every log file in COMPLIANCE mode for 7 years, then expires it', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'ExpireWithTheLock', ExpirationInDays: 2557, NoncurrentVersionExpiration: { NoncurrentDays: 1 } })] },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('encrypts the bucket with the AUDIT key, blocks public access, and logs access to a separate bucket', () => {
    expect(template.toJSON().Resources[bucketId].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: auditKey } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: stack.resolve(audit.accessLogBucket.bucketName), LogFilePrefix: 'audit-trail/' },
    });
  });

  test('lets CloudTrail read the ACL and write log files only for this trail, and denies requests without TLS', () => {
    const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
    expect(bucketPolicy().Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      {
        Sid: 'CloudTrailReadsTheAcl', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn,
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      },
      {
        Sid: 'CloudTrailWritesLogFiles', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucketArn, '/AWSLogs/', { Ref: 'AWS::AccountId' }, '/*']] },
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
      },
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]));
  });

});

describe('AuditTrail props', () => {
  const other = new App();
  const custom = new Stack(other, 'Custom');
  const keys = new KeyRing(custom, 'Keys');
  const sharedLogs = new AccessLogBucket(custom, 'SharedAccessLogs');
  const customTrail = new AuditTrail(custom, 'AuditTrail', {
    keys, retention: Duration.days(3650), insightTypes: [], cloudWatchLogsRetention: logs.RetentionDays.TEN_YEARS,
    isOrganizationTrail: true, organizationId: 'o-a1b2c3d4e5', dataEventBuckets: [s3.Bucket.fromBucketName(custom, 'Imported', 'model-artifacts-eu')],
    accessLogBucket: sharedLogs.bucket,
    replicationDestination: s3.Bucket.fromBucketAttributes(custom, 'Archive', {
      bucketArn: 'arn:aws:s3:::log-archive-111122223333', encryptionKey: kms.Key.fromKeyArn(custom, 'ArchiveKey', 'arn:aws:kms:eu-central-1:111122223333:key/archive'),
    }),
  });
  const auditor = new iam.Role(custom, 'Auditor', { assumedBy: new iam.AccountRootPrincipal() });
  customTrail.grantRead(auditor);
  const imported = new Stack(other, 'ImportedKey');
  const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  new AuditTrail(imported, 'AuditTrail', { encryptionKey: kms.Key.fromKeyArn(imported, 'Key', keyArn) });
  // Synthesis freezes the app: read the stacks only once both are built.
  const customTemplate = Template.fromStack(custom);
  const importedTemplate = Template.fromStack(imported);

  test('retention sets the lock and the expiry', () => {
    customTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 3650 })] },
    });
  });

  test('keys supplies the AUDIT and LOGS keys; cloudWatchLogsRetention the log group retention', () => {
    customTemplate.hasResourceProperties('AWS::CloudTrail::Trail', { KMSKeyId: custom.resolve(keys.key(KeyPurpose.AUDIT).keyArn) });
    customTemplate.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: custom.resolve(keys.key(KeyPurpose.LOGS).keyArn), RetentionInDays: 3653 });
  });

  test('an empty insightTypes turns Insights off', () => {
    expect(Object.values<any>(customTemplate.findResources('AWS::CloudTrail::Trail'))[0].Properties.InsightSelectors).toBeUndefined();
  });

  test('dataEventBuckets records the buckets passed in; without any, management events only', () => {
    customTemplate.hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: [Match.objectLike({
        DataResources: [{ Type: 'AWS::S3::Object', Values: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::model-artifacts-eu/']] }] }],
      })],
    });
    expect(Object.values<any>(importedTemplate.findResources('AWS::CloudTrail::Trail'))[0].Properties.EventSelectors).toBeUndefined();
  });

  test('accessLogBucket receives the access logs, and no log bucket of its own is created', () => {
    customTemplate.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: Match.objectLike({ DestinationBucketName: custom.resolve(sharedLogs.bucket.bucketName) }) });
    expect(customTrail.node.tryFindChild('AccessLogs')).toBeUndefined();
  });

  test('replicationDestination replicates every log file, SSE-KMS ones included', () => {
    customTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [Match.objectLike({
          Destination: Match.objectLike({ Bucket: 'arn:aws:s3:::log-archive-111122223333', EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-central-1:111122223333:key/archive' } }),
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
        })],
      },
    });
  });

  test('grantRead lets a principal read the log files and decrypt them', () => {
    const bucket = custom.resolve(customTrail.bucket.bucketArn);
    const statements = Object.values<any>(customTemplate.findResources('AWS::IAM::Policy', { Properties: { Roles: [custom.resolve(auditor.roleName)] } }))[0]
      .Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: expect.arrayContaining(['s3:GetObject*']), Resource: [bucket, { 'Fn::Join': ['', [bucket, '/*']] }] }),
      expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt']), Resource: custom.resolve(keys.key(KeyPurpose.AUDIT).keyArn) }),
    ]));
  });

  test('isOrganizationTrail records the organization and lets its accounts\' log files in', () => {
    customTemplate.hasResourceProperties('AWS::CloudTrail::Trail', { IsOrganizationTrail: true });
    customTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'CloudTrailWritesLogFiles', Resource: [Match.anyValue(), Match.objectLike({ 'Fn::Join': ['', [Match.anyValue(), '/AWSLogs/o-a1b2c3d4e5/*']] })] })]) },
    });
  });

  test('encryptionKey encrypts the trail, the bucket and the log group, and no key ring is created', () => {
    importedTemplate.hasResourceProperties('AWS::CloudTrail::Trail', { KMSKeyId: keyArn });
    importedTemplate.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    importedTemplate.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } })] } });
    importedTemplate.resourceCountIs('AWS::KMS::Key', 0);
  });
});

describe('AuditTrail across stacks', () => {
  const crossApp = new App();
  const models = new Stack(crossApp, 'Models');
  const artifacts = new s3.Bucket(models, 'Artifacts');
  Tags.of(artifacts).add(DATA_CLASS_TAG, 'model-artifacts');
  const foundation = new Stack(crossApp, 'Foundation');
  new AuditTrail(foundation, 'AuditTrail').addDataEventBucket(artifacts);
  const documents = [models, foundation].map((s) => templateDocument(Template.fromStack(s).toJSON(), { source: s.stackName, stack: s.node.path }));

  test('addDataEventBucket records a bucket of another stack through the export of its ARN', () => {
    const trail = Object.values<any>(Template.fromStack(foundation).findResources('AWS::CloudTrail::Trail'))[0].Properties;
    expect(trail.EventSelectors[0].DataResources[0].Values).toEqual([{ 'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringMatching(/^Models:ExportsOutputFnGetAttArtifacts/) }, '/']] }]);
  });

  test('and the model bucket then passes MLOPS-CT-010 when both stacks are evaluated', () => {
    const bucket = documents[0].resources.find((r) => r.type === 'AWS::S3::Bucket')!;
    const outcomes = runRule(modelBucketsDataEvents, bucket, new EvaluationContext(documents[0], new Date(FIXTURE_DATE), new EvaluationScope(documents)));
    expect(verdictOf(outcomes)).toBe('pass');
  });
});

describe('AuditTrail validation', () => {
  const build = (props: AuditTrailProps) => () => new AuditTrail(new Stack(new App(), 'Bad'), 'AuditTrail', props);

  test('fails if both keys and encryptionKey are given', () => {
    const error = errorOf(() => {
      const s = new Stack(new App(), 'Bad');
      new AuditTrail(s, 'AuditTrail', { keys: new KeyRing(s, 'Keys'), encryptionKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/k') });
    });
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/AuditTrail:encryptionKey: received 'both keys and encryptionKey'; allowed: one of keys or encryptionKey");
  });

  test('fails if retention is outside 1 day to 100 years, or not whole days', () => {
    for (const [retention, shown] of [[Duration.days(0), '0 days'], [Duration.days(36501), '36501 days'], [Duration.hours(36), '1 day 12 hours']] as const) {
      const error = errorOf(build({ retention }));
      expect(error.code).toBe('InvalidConfiguration');
      expect(error.message).toContain(`Bad/AuditTrail:retention: received '${shown}'; allowed: whole days from 1 day to 100 years (36500 days)`);
      expect(error.message).toContain('Fix: use Duration.days(2557) (7 years)');
    }
  });

  test('fails if an organization trail has no valid organizationId, or an id comes without one', () => {
    expect(errorOf(build({ isOrganizationTrail: true })).message).toContain('Bad/AuditTrail:organizationId: received nothing (undefined); allowed: the organization id');
    expect(errorOf(build({ isOrganizationTrail: true, organizationId: 'org-1' })).message).toContain("Bad/AuditTrail:organizationId: received 'org-1'; allowed: an organization id");
    expect(errorOf(build({ organizationId: 'o-a1b2c3d4e5' })).message).toContain('allowed: organizationId only with isOrganizationTrail: true');
  });

  test('fails if replicationKey comes without replicationDestination', () => {
    const error = errorOf(() => {
      const s = new Stack(new App(), 'Bad');
      new AuditTrail(s, 'AuditTrail', { replicationKey: kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:eu-west-1:111122223333:key/k') });
    });
    expect(error.message).toContain('Bad/AuditTrail:replicationKey');
  });

  test('fails if the CloudWatch Logs copy would be kept less than a year, or without a declared retention', () => {
    expect(errorOf(build({ cloudWatchLogsRetention: logs.RetentionDays.THREE_MONTHS })).message).toContain("Bad/AuditTrail:cloudWatchLogsRetention: received '90 days'");
    expect(errorOf(build({ cloudWatchLogsRetention: logs.RetentionDays.INFINITE })).message).toContain("received 'RetentionDays.INFINITE'");
  });

  test('lists every problem in one error', () => {
    expect(errorOf(build({ retention: Duration.days(0), isOrganizationTrail: true, cloudWatchLogsRetention: logs.RetentionDays.ONE_DAY })).problems).toHaveLength(3);
  });

  test('fails at synth if more buckets are registered than CloudTrail accepts', () => {
    const s = new Stack(new App(), 'TooMany');
    const trail = new AuditTrail(s, 'AuditTrail');
    for (let i = 0; i < 251; i++) trail.addDataEventBucket(s3.Bucket.fromBucketName(s, `Bucket${i}`, `bucket-${i}`));
    expect(() => Template.fromStack(s)).toThrow(/251 data event buckets; CloudTrail accepts at most 250 data resources per trail/);
  });
});

describe('AuditTrail compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every rule of the catalog, with no acknowledgment', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
  });

  test('the trail bucket passes the Object Lock rule and the registered bucket the data-event rule', () => {
    expect(verdictsOnStack(trailBucketObjectLock, stack)[bucketId]).toBe('pass');
    const verdicts = verdictsOnStack(modelBucketsDataEvents, stack);
    expect([logicalId(models), logicalId(data)].map((id) => verdicts[id])).toEqual(['pass', 'pass']);
  });

  test('cdk-nag finds nothing', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

test('the trail is a CfnTrail with the construct id Resource', () => {
  expect(audit.trail).toBeInstanceOf(cloudtrail.CfnTrail);
  expect(audit.trail.node.id).toBe('Resource');
});

describe('AuditTrail across stacks that depend on each other', () => {
  // The runtime stack uses the foundation's keys and trail, so the trail may not name the runtime's bucket (a cycle).
  const crossApp = new App();
  const foundation = new Stack(crossApp, 'Foundation');
  const keys = new KeyRing(foundation, 'Keys');
  const sharedTrail = new AuditTrail(foundation, 'AuditTrail', { keys, recordAllS3DataEvents: true });
  const runtime = new Stack(crossApp, 'Runtime');
  new EncryptedBucket(runtime, 'Capture', { keys, contents: BucketContents.INFERENCE_CAPTURE, auditTrail: sharedTrail });

  test('records every S3 object of the account, so the runtime bucket is covered without a cycle', () => {
    Template.fromStack(foundation).hasResourceProperties('AWS::CloudTrail::Trail', {
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3']] }] }] }],
    });
    const result = complianceOfStacks([foundation, runtime], EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
  });
});
