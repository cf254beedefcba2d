import { Duration, RemovalPolicy, Tags, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { DATA_CLASS_TAG } from '../../lib/policy/rules/aws/cloudtrail/model-buckets-s3-data-events';
import { wholeDays } from '../private/durations';
import { AccessLogBucket } from './access-log-bucket';
import { IKeyRing, KeyPurpose, KeyRing } from './key-ring';

/** The tag that carries a bucket's data classification. */
export const DATA_CLASSIFICATION_TAG = 'regulated-mlops:data-classification';

/**
 * What an ML bucket holds, for the audit. Buckets with contents must have their object reads and writes recorded
 * by CloudTrail S3 data events (rule MLOPS-CT-010).
 */
export enum BucketContents {
  MODEL_ARTIFACTS = 'model-artifacts',
  TRAINING_DATA = 'training-data',
  INFERENCE_CAPTURE = 'inference-capture',
}

/** Something that records S3 data events for buckets, such as `AuditTrail`. */
export interface IDataEventRecorder {
  /** Records object reads and writes of the bucket. */
  addDataEventBucket(bucket: s3.IBucket): void;
}

/** Default retention of every new object version under S3 Object Lock. */
export interface EncryptedBucketObjectLock {
  /**
   * GOVERNANCE: principals with `s3:BypassGovernanceRetention` may still delete or shorten the lock;
   * COMPLIANCE: nobody can, the account root included, until the retention ends.
   */
  readonly mode: s3.ObjectLockMode;
  /** How long each new object version is locked, whole days from 1 day to 100 years. */
  readonly retention: Duration;
}

/** Properties of an `EncryptedBucket`. */
export interface EncryptedBucketProps {
  /**
   * What the bucket holds, which selects the key from `keys` (or from the key ring created here).
   * @default KeyPurpose.DATA
   */
  readonly purpose?: KeyPurpose;
  /**
   * The customer-managed key objects are encrypted with. Not with `keys` or `purpose`.
   * @default - the `purpose` key of `keys`, or of a `KeyRing` created here
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key ring to take the `purpose` key from. Not with `encryptionKey`.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * Where S3 server access logs go: a bucket with SSE-S3 encryption (the only kind S3 delivers logs to). Share one
   * `AccessLogBucket` (its `bucket`) across many buckets; an imported bucket must already allow delivery from
   * `logging.s3.amazonaws.com`.
   * @default - an `AccessLogBucket` created here (child 'AccessLogs')
   */
  readonly accessLogBucket?: s3.IBucket;
  /**
   * Key prefix of this bucket's logs in the log bucket. Log keys are partitioned below it by source account,
   * Region, bucket and event date, so buckets sharing a log bucket never collide.
   * @default 'access-logs/'
   */
  readonly accessLogPrefix?: string;
  /**
   * Lifecycle rules, replacing the default ones. At least one enabled rule; durations in whole days.
   * @default - noncurrent versions expire 365 days after they are replaced or deleted, expired delete markers are
   * removed, and incomplete multipart uploads are aborted after 7 days
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
  /**
   * Turns on S3 Object Lock with a default retention (write once, read many) for evidence that must not change.
   * Object Lock cannot be turned off once on.
   * @default - no Object Lock
   */
  readonly objectLock?: EncryptedBucketObjectLock;
  /**
   * A bucket (in another Region or account) to replicate every object to, SSE-KMS objects included.
   * It must be versioned; in another account its policy must allow the replication role.
   * @default - no replication
   */
  readonly replicationDestination?: s3.IBucket;
  /**
   * The customer-managed key replicas are encrypted with in the destination's Region.
   * @default - the `encryptionKey` of `replicationDestination`
   */
  readonly replicationKey?: kms.IKey;
  /**
   * What happens to the bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The data classification (e.g. `confidential`, `phi`), written as the `regulated-mlops:data-classification` tag.
   * @default - no classification tag
   */
  readonly dataClassification?: string;
  /**
   * What the bucket holds, written as the `regulated-mlops:data-class` tag; the audit then requires S3 data events
   * for it (MLOPS-CT-010).
   * @default - no data-class tag: the bucket is not treated as an ML data store
   */
  readonly contents?: BucketContents;
  /**
   * The audit trail that records the bucket's object reads and writes (`AuditTrail`).
   * @default - none here: a bucket with `contents` must then be added to a trail with `addDataEventBucket`
   */
  readonly auditTrail?: IDataEventRecorder;
}

const DEFAULT_LIFECYCLE: s3.LifecycleRule[] = [{
  id: 'ExpireNoncurrentVersions',
  noncurrentVersionExpiration: Duration.days(365),
  expiredObjectDeleteMarker: true,
  abortIncompleteMultipartUploadAfter: Duration.days(7),
}];

/**
 * An S3 bucket for training data, model artifacts or captured inference data.
 *
 * Under the hood: SSE-KMS with a customer-managed key and an S3 Bucket Key; versioning; all public access blocked;
 * ACLs disabled; server access logs into an access-log bucket; a lifecycle; optional Object Lock and replication;
 * and a bucket policy that denies
 * - requests without TLS, or with TLS below 1.2;
 * - uploads that ask for another encryption (`x-amz-server-side-encryption` other than `aws:kms`);
 * - uploads that name another key (`x-amz-server-side-encryption-aws-kms-key-id` other than this key's ARN);
 * - uploads that ask for `aws:kms` without naming a key (S3 would use the AWS-managed `aws/s3` key).
 * An upload without encryption headers is accepted and encrypted with this bucket's key by default. A client that
 * names the key must name it by ARN.
 *
 * `grantRead`, `grantWrite` and `grantReadWrite` also grant the key. Where an `s3.IBucket` is needed, pass
 * `bucket`. To reference an existing encrypted bucket, use `s3.Bucket.fromBucketAttributes` with its
 * `encryptionKey`, so grants include the key.
 *
 * @example
 * const keys = new KeyRing(this, 'Keys');
 * const logs = new AccessLogBucket(this, 'AccessLogs');
 * const data = new EncryptedBucket(this, 'TrainingData', { keys, accessLogBucket: logs.bucket, dataClassification: 'phi' });
 * const models = new EncryptedBucket(this, 'Models', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS, accessLogBucket: logs.bucket });
 * data.grantRead(trainingRole);
 * models.grantWrite(trainingRole);
 */
export class EncryptedBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;
  /** The key objects are encrypted with. */
  public readonly encryptionKey: kms.IKey;
  /** Where the bucket's server access logs go. */
  public readonly accessLogBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps = {}) {
    super(scope, id);
    validate(this.node.path, props);

    this.encryptionKey = props.encryptionKey
      ?? (props.keys ?? new KeyRing(this, 'Keys')).key(props.purpose ?? KeyPurpose.DATA);
    this.accessLogBucket = props.accessLogBucket ?? new AccessLogBucket(this, 'AccessLogs').bucket;
    const replicationKey = props.replicationKey ?? props.replicationDestination?.encryptionKey;
    // A role without a physical name: the L2 would otherwise name every replication role 'CDKReplicationRole'.
    const replicationRole = props.replicationDestination
      ? new iam.Role(this, 'ReplicationRole', { assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') })
      : undefined;

    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: props.accessLogPrefix ?? 'access-logs/',
      targetObjectKeyFormat: s3.TargetObjectKeyFormat.partitionedPrefix(s3.PartitionDateSource.EVENT_TIME),
      lifecycleRules: props.lifecycleRules ?? DEFAULT_LIFECYCLE,
      objectLockEnabled: props.objectLock ? true : undefined,
      objectLockDefaultRetention: props.objectLock && lockRetention(props.objectLock),
      replicationRole,
      replicationRules: props.replicationDestination
        ? [{ destination: props.replicationDestination, kmsKey: replicationKey, sseKmsEncryptedObjects: true }]
        : undefined,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    if (replicationRole) this.grantReplication(replicationRole, props.replicationDestination!, replicationKey!);
    this.denyUploadsNotUsing(this.encryptionKey);
    if (props.dataClassification !== undefined) Tags.of(this.bucket).add(DATA_CLASSIFICATION_TAG, props.dataClassification);
    if (props.contents !== undefined) Tags.of(this.bucket).add(DATA_CLASS_TAG, props.contents);
    props.auditTrail?.addDataEventBucket(this.bucket);

    if (!props.replicationDestination) {
      const reason =
        'Replication to a second Region or account is an organisation resilience choice, offered as the ' +
        'replicationDestination prop; in place, versioning keeps overwritten and deleted object versions recoverable ' +
        '(365 days by default) and objectLock, where set, makes them immutable.';
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
        Validations.of(this.bucket).acknowledge({ id: `${pack}-S3BucketReplicationEnabled`, reason });
      }
    }
  }

  /** The bucket's name. */
  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** The bucket's ARN. */
  public get bucketArn(): string {
    return this.bucket.bucketArn;
  }

  /** Lets `grantee` read objects (matching `objectsKeyPattern`) and decrypt them with the key. */
  public grantRead(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantRead(grantee, objectsKeyPattern);
  }

  /** Lets `grantee` write and delete objects (matching `objectsKeyPattern`) and encrypt them with the key. */
  public grantWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantWrite(grantee, objectsKeyPattern);
  }

  /** Lets `grantee` read, write and delete objects (matching `objectsKeyPattern`) and use the key for both. */
  public grantReadWrite(grantee: iam.IGrantable, objectsKeyPattern?: string): iam.Grant {
    return this.bucket.grantReadWrite(grantee, objectsKeyPattern);
  }

  /**
   * What S3 replication needs, and no more. The keys are granted through `grant`, which a `KeyRing` key turns into
   * the principal tag its key policy requires (the L2's `grantEncrypt` would add the IAM statement only).
   */
  private grantReplication(role: iam.Role, destination: s3.IBucket, replicaKey: kms.IKey): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [this.bucket.bucketArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
      resources: [this.bucket.arnForObjects('*')],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], resources: [destination.arnForObjects('*')],
    }));
    this.encryptionKey.grant(role, 'kms:Decrypt');
    replicaKey.grant(role, 'kms:Encrypt', 'kms:GenerateDataKey');
  }

  /**
   * Denies uploads that would not use `key`. Each statement applies only when the header it tests is present
   * (`Null: false`), so an upload without encryption headers still gets the bucket's default encryption.
   * (`...IfExists` operators would not do: a missing key makes them true, and the Deny would apply.)
   */
  private denyUploadsNotUsing(key: kms.IKey): void {
    const SSE = 's3:x-amz-server-side-encryption';
    const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    const deny = (sid: string, conditions: Record<string, Record<string, string>>) => this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid, effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')], conditions,
    }));
    deny('DenyUploadsWithOtherEncryption', { Null: { [SSE]: 'false' }, StringNotEquals: { [SSE]: 'aws:kms' } });
    deny('DenyUploadsNamingAnotherKey', { Null: { [KEY_ID]: 'false' }, StringNotEquals: { [KEY_ID]: key.keyArn } });
    deny('DenyUploadsWithAwsManagedKey', { Null: { [SSE]: 'false', [KEY_ID]: 'true' } });
  }
}

function lockRetention(lock: EncryptedBucketObjectLock): s3.ObjectLockRetention {
  return lock.mode === s3.ObjectLockMode.COMPLIANCE
    ? s3.ObjectLockRetention.compliance(lock.retention)
    : s3.ObjectLockRetention.governance(lock.retention);
}

function validate(path: string, props: EncryptedBucketProps): void {
  const problems = new ProblemCollector(path, 'EncryptedBucket');
  if (props.encryptionKey) {
    problems.check(props.keys !== undefined, 'keys', 'a key ring together with encryptionKey', 'encryptionKey or keys, not both', 'pass the key ring as keys (with purpose), or the key as encryptionKey');
    problems.check(props.purpose !== undefined, 'purpose', props.purpose, 'purpose only with keys or without encryptionKey', 'drop purpose: it selects a key from a key ring, and encryptionKey is the key');
  }

  // S3 server access log delivery supports only SSE-S3 on the destination: logs to a KMS bucket are never delivered.
  problems.check(props.accessLogBucket?.encryptionKey !== undefined, 'accessLogBucket', 'a bucket encrypted with a KMS key',
    'a bucket with SSE-S3 default encryption (the only encryption S3 log delivery supports)', 'pass the bucket of an AccessLogBucket');

  if (props.objectLock) {
    const retention = props.objectLock.retention;
    wholeDays(retention, problems, 'objectLock.retention', 'Duration.days(2557) (7 years) or the retention your records schedule sets');
    if (!retention.isUnresolved() && retention.toDays({ integral: false }) > 36500) {
      problems.add('objectLock.retention', retention.toHumanString(), 'at most 100 years', 'shorten the retention');
    }
  }

  const rules = props.lifecycleRules;
  if (rules !== undefined) {
    problems.check(!rules.some((r) => r.enabled !== false), 'lifecycleRules', rules.length === 0 ? 'no rules' : 'only disabled rules',
      'at least one enabled rule', 'omit lifecycleRules for the defaults, or add a rule with noncurrentVersionExpiration');
    rules.forEach((rule, i) => {
      const at = `lifecycleRules[${i}]`;
      const fix = 'a whole number of days, e.g. Duration.days(30)';
      wholeDays(rule.expiration, problems, `${at}.expiration`, fix);
      wholeDays(rule.noncurrentVersionExpiration, problems, `${at}.noncurrentVersionExpiration`, fix);
      wholeDays(rule.abortIncompleteMultipartUploadAfter, problems, `${at}.abortIncompleteMultipartUploadAfter`, fix);
      rule.transitions?.forEach((t, j) => wholeDays(t.transitionAfter, problems, `${at}.transitions[${j}].transitionAfter`, fix));
      rule.noncurrentVersionTransitions?.forEach((t, j) => wholeDays(t.transitionAfter, problems, `${at}.noncurrentVersionTransitions[${j}].transitionAfter`, fix));
      const keep = rule.noncurrentVersionsToRetain;
      if (keep !== undefined && !Token.isUnresolved(keep)) {
        problems.check(!Number.isInteger(keep) || keep < 1 || keep > 100, `${at}.noncurrentVersionsToRetain`, keep, '1 to 100 versions', 'keep between 1 and 100 noncurrent versions');
      }
    });
  }

  if (props.replicationKey && !props.replicationDestination) {
    problems.add('replicationKey', 'a key without replicationDestination', 'replicationKey only with replicationDestination', 'set replicationDestination, or drop replicationKey');
  }
  if (props.replicationDestination && !props.replicationKey && !props.replicationDestination.encryptionKey) {
    problems.add('replicationKey', undefined, 'a customer-managed key for the replicas (the destination bucket has none known)',
      'pass replicationKey: the key of the destination bucket, or pass the destination as an EncryptedBucket\'s bucket');
  }

  const classification = props.dataClassification;
  if (classification !== undefined && !Token.isUnresolved(classification)) {
    problems.check(!/^[\p{L}\p{N}\p{Z}_.:/=+\-@]{1,256}$/u.test(classification), 'dataClassification', classification,
      '1 to 256 letters, digits, spaces and _ . : / = + - @ (an S3 tag value)', "use a label such as 'confidential' or 'phi'");
  }
  problems.throwIfAny();
}
