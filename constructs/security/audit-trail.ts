import { Aws, Duration, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { AccessLogBucket } from './access-log-bucket';
import { EncryptedBucket, IDataEventRecorder } from './encrypted-bucket';
import { IKeyRing, KeyPurpose, KeyRing } from './key-ring';

/** 7 years (365 × 7 + 2 leap days): the usual floor of financial and health record schedules. */
const DEFAULT_RETENTION_DAYS = 2557;
/** The longest default retention S3 Object Lock accepts. */
const MAX_RETENTION_DAYS = 36500;
/** CloudTrail accepts at most 250 data resources across the basic event selectors of a trail. */
const MAX_DATA_RESOURCES = 250;

/** Properties of an `AuditTrail`. */
export interface AuditTrailProps {
  /**
   * Where the keys come from: the AUDIT key encrypts the log files and their bucket, the LOGS key the CloudWatch
   * Logs copy. Not with `encryptionKey`.
   * @default - a `KeyRing` created for this trail (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * One key for the log files, their bucket and the CloudWatch Logs copy. Its policy must let `cloudtrail.amazonaws.com`
   * generate data keys (scoped by `aws:SourceAccount` and `kms:EncryptionContext:aws:cloudtrail:arn`) and
   * `logs.<region>.amazonaws.com` use it: this construct does not change the policy of a key it did not create.
   * Not with `keys`.
   * @default - the AUDIT and LOGS keys of `keys`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long every log file is locked (S3 Object Lock, COMPLIANCE mode: nobody, the account root included, can delete
   * or overwrite it) and then kept; 1 day to 100 years, whole days.
   * @default Duration.days(2557) - 7 years
   */
  readonly retention?: Duration;
  /**
   * Buckets whose object reads and writes are recorded (S3 data events): model artifacts, training data, captured
   * inference data. More can be added with `addDataEventBucket`.
   * @default - none
   */
  readonly dataEventBuckets?: s3.IBucket[];
  /**
   * Records the object reads and writes of every bucket of the account (one `arn:<partition>:s3` data resource)
   * instead of named buckets. Use it when ML buckets live in other stacks that also use this stack's resources:
   * naming such a bucket here would make each stack depend on the other (a cycle). Costs more: every S3 object
   * access of the account becomes an event.
   * @default false - only the buckets of `dataEventBuckets` and `addDataEventBucket`
   */
  readonly recordAllS3DataEvents?: boolean;
  /**
   * CloudTrail Insights: unusual API call or error rates become events of their own.
   * @default [InsightType.API_CALL_RATE, InsightType.API_ERROR_RATE]
   */
  readonly insightTypes?: cloudtrail.InsightType[];
  /**
   * Record every account of the AWS Organization (create it in the management account or a delegated administrator).
   * Requires `organizationId`.
   * @default false
   */
  readonly isOrganizationTrail?: boolean;
  /**
   * The organization id (`o-xxxxxxxxxx`), so the bucket policy admits the log files of member accounts. Only with
   * `isOrganizationTrail`.
   * @default - none
   */
  readonly organizationId?: string;
  /**
   * How long the CloudWatch Logs copy is kept: at least a year, never `INFINITE` (which declares no retention).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly cloudWatchLogsRetention?: logs.RetentionDays;
  /**
   * Where the trail bucket's S3 server access logs go (share one `AccessLogBucket` per stack).
   * @default - an `AccessLogBucket` created here (child 'AccessLogs')
   */
  readonly accessLogBucket?: s3.IBucket;
  /**
   * A versioned bucket (a log archive account, another Region) that receives a copy of every log file. It should
   * have Object Lock too.
   * @default - no replication
   */
  readonly replicationDestination?: s3.IBucket;
  /**
   * The key replicas are encrypted with in the destination. Only with `replicationDestination`.
   * @default - the `encryptionKey` of `replicationDestination`
   */
  readonly replicationKey?: kms.IKey;
}

/**
 * The audit record of the account: a multi-region CloudTrail trail with global service events, log file validation,
 * KMS encryption, delivery to CloudWatch Logs (for alarms) and Insights, writing to a bucket where every log file is
 * under S3 Object Lock in COMPLIANCE mode for `retention` (7 years by default).
 *
 * Under the hood: the bucket is an `EncryptedBucket` (SSE-KMS with the AUDIT key, versioned, public access blocked,
 * TLS only, server access logs) whose policy lets CloudTrail read its ACL and write log files only for this trail
 * (`aws:SourceArn`) under `AWSLogs/<account>/`. The CloudWatch Logs copy is encrypted with the LOGS key and written
 * by a role only this trail can assume. The trail has a generated, deterministic name, so the bucket policy and the
 * role can name its ARN before it exists. Log files expire when their lock does.
 *
 * S3 data events are recorded for the buckets passed in `dataEventBuckets` or `addDataEventBucket`, reads and
 * writes (basic event selectors, at most 250 buckets). A bucket of another stack is referenced by its ARN through a
 * stack export, so that stack must not depend on this one.
 *
 * @example
 * const trail = new AuditTrail(this, 'AuditTrail', { keys });
 * trail.addDataEventBucket(modelArtifacts.bucket);
 */
export class AuditTrail extends Construct implements IDataEventRecorder {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** The trail's ARN. */
  public readonly trailArn: string;
  /** The bucket of log files and digests (Object Lock, COMPLIANCE mode). */
  public readonly bucket: s3.IBucket;
  /** The key that encrypts log files and their bucket. */
  public readonly encryptionKey: kms.IKey;
  /** The CloudWatch Logs copy of the trail. */
  public readonly logGroup: logs.ILogGroup;
  /** Where the trail bucket's server access logs go (pass it to other buckets of the stack as their `accessLogBucket`). */
  public readonly accessLogBucket: s3.IBucket;

  private readonly logBucket: EncryptedBucket;
  private readonly dataEventBuckets: s3.IBucket[] = [];
  private readonly recordAllS3DataEvents: boolean;

  constructor(scope: Construct, id: string, props: AuditTrailProps = {}) {
    super(scope, id);
    validate(this.node.path, props);

    const ring = props.encryptionKey ? undefined : (props.keys ?? new KeyRing(this, 'Keys'));
    this.encryptionKey = props.encryptionKey ?? ring!.key(KeyPurpose.AUDIT);
    const logsKey = props.encryptionKey ?? ring!.key(KeyPurpose.LOGS);

    // Deterministic (from the construct path), so the bucket policy and the role can name the trail before it exists.
    const trailName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const stack = Stack.of(this);
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };

    const retention = props.retention ?? Duration.days(DEFAULT_RETENTION_DAYS);
    this.accessLogBucket = props.accessLogBucket ?? new AccessLogBucket(this, 'AccessLogs').bucket;
    this.logBucket = new EncryptedBucket(this, 'Bucket', {
      encryptionKey: this.encryptionKey,
      accessLogBucket: this.accessLogBucket,
      accessLogPrefix: 'audit-trail/',
      objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retention },
      // A locked version can only be removed once its lock has run out: expire log files with it.
      lifecycleRules: [{
        id: 'ExpireWithTheLock',
        expiration: retention,
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
      replicationDestination: props.replicationDestination,
      replicationKey: props.replicationKey,
    });
    const bucket = this.logBucket.bucket;
    this.bucket = bucket;
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailReadsTheAcl', principals: [cloudTrail], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions: fromThisTrail,
    }));
    const writable = [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)];
    if (props.isOrganizationTrail) writable.push(bucket.arnForObjects(`AWSLogs/${props.organizationId}/*`));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailWritesLogFiles', principals: [cloudTrail], actions: ['s3:PutObject'], resources: writable,
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': this.trailArn } },
    }));

    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: logsKey,
      retention: props.cloudWatchLogsRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    this.logGroup = logGroup;
    const logsRole = new iam.Role(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceArn': this.trailArn, 'aws:SourceAccount': stack.account } },
      }),
      description: `Lets ${this.node.path} deliver events to its CloudWatch Logs group`,
    });
    // A customer managed policy rather than an inline one (HIPAA/NIST/PCI IAMNoInlinePolicy).
    const logsPolicy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: `Writes the events of ${this.node.path} to its log group`,
      roles: [logsRole],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] })],
    });

    const insightTypes = props.insightTypes ?? [cloudtrail.InsightType.API_CALL_RATE, cloudtrail.InsightType.API_ERROR_RATE];
    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      isOrganizationTrail: props.isOrganizationTrail ?? false,
      s3BucketName: bucket.bucketName,
      kmsKeyId: this.encryptionKey.keyArn,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      insightSelectors: insightTypes.length > 0 ? insightTypes.map((t) => ({ insightType: t.value })) : undefined,
      eventSelectors: Lazy.any({ produce: () => this.renderEventSelectors() }),
    });
    // CloudTrail checks the bucket policy and the role when the trail is created.
    this.trail.node.addDependency(bucket.policy!, logsPolicy);

    this.recordAllS3DataEvents = props.recordAllS3DataEvents ?? false;
    for (const b of props.dataEventBuckets ?? []) this.addDataEventBucket(b);
    this.node.addValidation({
      validate: () => this.dataEventBuckets.length > MAX_DATA_RESOURCES
        ? [`${this.node.path}: ${this.dataEventBuckets.length} data event buckets; CloudTrail accepts at most ${MAX_DATA_RESOURCES} data resources per trail. Fix: log all S3 data events, or split the buckets across trails`]
        : [],
    });
  }

  /**
   * Records the reads and writes of every object of `bucket` (S3 data events). A bucket of another stack is referenced
   * through a stack export of its ARN, which makes this stack depend on that one: when that stack also uses this
   * stack's resources, use `recordAllS3DataEvents` instead (it covers the bucket without naming it).
   */
  public addDataEventBucket(bucket: s3.IBucket): void {
    if (this.recordAllS3DataEvents) return; // already recorded, and naming it could only add a cross-stack dependency
    if (!this.dataEventBuckets.includes(bucket)) this.dataEventBuckets.push(bucket);
  }

  /** Lets `grantee` read the log files (and decrypt them with the key): for auditors and log analysis. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.logBucket.grantRead(grantee);
  }

  private renderEventSelectors(): cloudtrail.CfnTrail.EventSelectorProperty[] | undefined {
    const values = this.recordAllS3DataEvents ? [`arn:${Aws.PARTITION}:s3`] : this.dataEventBuckets.map((b) => `${b.bucketArn}/`);
    if (values.length === 0) return undefined; // management events only: CloudTrail's default
    return [{ includeManagementEvents: true, readWriteType: 'All', dataResources: [{ type: 'AWS::S3::Object', values }] }];
  }
}

function validate(path: string, props: AuditTrailProps): void {
  const problems = new ProblemCollector(path, 'AuditTrail');
  problems.check(props.keys !== undefined && props.encryptionKey !== undefined, 'encryptionKey', 'both keys and encryptionKey', 'one of keys or encryptionKey', 'pass keys (its AUDIT and LOGS keys are used) or encryptionKey, not both');
  const retention = props.retention;
  if (retention !== undefined && !retention.isUnresolved()) {
    const days = retention.toDays({ integral: false });
    problems.check(!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS, 'retention', retention.toHumanString(),
      `whole days from 1 day to 100 years (${MAX_RETENTION_DAYS} days), the range of an S3 Object Lock default retention`,
      `use Duration.days(${DEFAULT_RETENTION_DAYS}) (7 years) or the period your records schedule sets`);
  }
  problems.check(props.isOrganizationTrail === true && props.organizationId === undefined, 'organizationId', undefined,
    'the organization id (o-xxxxxxxxxx) when isOrganizationTrail is true', 'pass organizationId, so the bucket policy admits the member accounts\' log files');
  problems.check(props.organizationId !== undefined && props.isOrganizationTrail !== true, 'organizationId', props.organizationId,
    'organizationId only with isOrganizationTrail: true', 'set isOrganizationTrail: true, or drop organizationId');
  const org = props.organizationId;
  if (org !== undefined && !Token.isUnresolved(org)) {
    problems.check(!/^o-[a-z0-9]{10,32}$/.test(org), 'organizationId', org, 'an organization id: o- and 10 to 32 lowercase letters or digits', 'copy the id from AWS Organizations (aws organizations describe-organization)');
  }
  problems.check(props.replicationKey !== undefined && props.replicationDestination === undefined, 'replicationKey', 'a key without replicationDestination',
    'replicationKey only with replicationDestination', 'set replicationDestination, or drop replicationKey');
  const kept = props.cloudWatchLogsRetention;
  if (kept !== undefined) {
    problems.check(kept === logs.RetentionDays.INFINITE || kept < logs.RetentionDays.ONE_YEAR, 'cloudWatchLogsRetention',
      kept === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${kept} days`,
      'at least RetentionDays.ONE_YEAR (PCI DSS 10.5.1 keeps audit logs 12 months); not INFINITE, which declares no retention (MLOPS-LOGS-002)',
      'use logs.RetentionDays.ONE_YEAR or longer');
  }
  problems.throwIfAny();
}
