import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccessLogBucket } from '../../../constructs/security/access-log-bucket';
import { EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { errorOf, EVERY_RULE_PACKS } from './construct-test-helpers';

// One log bucket shared by two encrypted buckets, in an app without feature-flag context.
const app = new App();
const stack = new Stack(app, 'AccessLogs');
const logs = new AccessLogBucket(stack, 'Logs');
const data = new EncryptedBucket(stack, 'Data', { accessLogBucket: logs.bucket });
const models = new EncryptedBucket(stack, 'Models', { accessLogBucket: logs.bucket });
const template = Template.fromStack(stack);
const logBucketId = stack.getLogicalId(logs.bucket.node.defaultChild as never);
const logBucket = () => template.toJSON().Resources[logBucketId];
const logPolicy = () => Object.values<any>(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: logBucketId } } }))[0];
const bucketArn = { 'Fn::GetAtt': [logBucketId, 'Arn'] };
const bucketAndObjects = [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }];

/** The AWS S3 server access logging limits this construct is built around. */

describe('AccessLogBucket defaults', () => {
  test('encrypts with SSE-S3, the only default encryption S3 log delivery supports', () => {
    expect(logBucket().Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  test('is versioned', () => {
    expect(logBucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('blocks all public access', () => {
    expect(logBucket().Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
  });

  test('disables ACLs, even where the app has no serverAccessLogsUseBucketPolicy flag', () => {
    expect(logBucket().Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logBucket().Properties.AccessControl).toBeUndefined();
  });

  test('has no Object Lock (a locked bucket cannot receive access logs) and no logging of its own', () => {
    expect(logBucket().Properties.ObjectLockEnabled).toBeUndefined();
    expect(logBucket().Properties.LoggingConfiguration).toBeUndefined();
  });

  test('expires logs after a year and noncurrent versions after 90 days', () => {
    expect(logBucket().Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'ExpireAccessLogs', Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }],
    });
  });

  test('is retained when the stack is deleted', () => {
    expect(logBucket()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('denies requests without TLS and below TLS 1.2', () => {
    expect(logPolicy().Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: bucketAndObjects },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: bucketAndObjects },
    ]));
  });

  test('lets the logging service write only the logs of each source bucket of this account', () => {
    const deliveries = logPolicy().Properties.PolicyDocument.Statement.filter((s: any) => s.Principal?.Service === 'logging.s3.amazonaws.com');
    const sources = [data, models].map((b) => stack.getLogicalId(b.bucket.node.defaultChild as never));
    expect(deliveries).toEqual(sources.map((source) => ({
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [bucketArn, '/access-logs/*']] },
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [source, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    })));
  });

  test('receives the logs of every bucket that shares it', () => {
    template.resourcePropertiesCountIs('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId } } }, 2);
  });
});

describe('AccessLogBucket props', () => {
  const custom = new AccessLogBucket(new Stack(new App(), 'Custom'), 'Logs', {
    retention: Duration.days(400), noncurrentVersionRetention: Duration.days(30), removalPolicy: RemovalPolicy.DESTROY,
  });
  const customTemplate = Template.fromStack(Stack.of(custom));

  test('retention and noncurrentVersionRetention set the lifecycle', () => {
    customTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 30 } })] },
    });
  });

  test('removalPolicy sets the deletion policy', () => {
    customTemplate.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });
});

describe('AccessLogBucket validation', () => {
  const build = (props: ConstructorParameters<typeof AccessLogBucket>[2]) => () => new AccessLogBucket(new Stack(new App(), 'Bad'), 'Logs', props);

  test('fails if retention is 0 days', () => {
    const error = errorOf(build({ retention: Duration.days(0) }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("Bad/Logs:retention: received '0 days'; allowed: whole days, at least 1. Fix: use Duration.days(365)");
  });

  test('fails if durations are not whole days, listing every problem at once', () => {
    const error = errorOf(build({ retention: Duration.hours(36), noncurrentVersionRetention: Duration.minutes(30) }));
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.problems.map((p) => `${p.path} ${p.received}`)).toEqual([
      "Bad/Logs:retention '1 day 12 hours'",
      "Bad/Logs:noncurrentVersionRetention '30 minutes'",
    ]);
  });
});

describe('AccessLogBucket compliance', () => {
  test('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('defaults pass every pack; SSE-S3 passes MLOPS-S3-001 with the reason, as S3 log delivery allows nothing else', () => {
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result)).toEqual([]);
    const encryption = result.resources.flatMap((r) => r.evaluations).find((e) => e.ruleId === 'MLOPS-S3-001');
    expect(encryption).toEqual({ ruleId: 'MLOPS-S3-001', status: 'pass', message: expect.stringContaining('S3 delivers access logs only to SSE-S3 buckets') });
  });

  test('cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});
