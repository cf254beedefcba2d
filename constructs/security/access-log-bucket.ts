import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { wholeDays } from '../private/durations';

/** Properties of an `AccessLogBucket`. */
export interface AccessLogBucketProps {
  /**
   * How long access log objects are kept before they expire, in whole days (at least 1).
   * @default Duration.days(365) - a year, what PCI DSS 10.5.1 asks of audit logs
   */
  readonly retention?: Duration;
  /**
   * How long a log object that was overwritten or deleted stays recoverable as a noncurrent version, in whole days.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * What happens to the bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The destination of S3 server access logs, one per stack or shared by many `EncryptedBucket`s.
 *
 * Under the hood: versioned, all public access blocked, ACLs disabled (log delivery is granted to the
 * `logging.s3.amazonaws.com` service principal by a bucket policy, per source bucket and account), a policy that
 * denies requests without TLS or below TLS 1.2, and a lifecycle that expires logs after `retention`.
 *
 * What AWS does not allow here, and so this bucket does not do:
 * - **SSE-KMS.** S3 server access log delivery supports only SSE-S3 (AES-256) default encryption on the destination
 *   bucket, so the logs are encrypted at rest with S3-managed keys, not a customer-managed key.
 * - **Object Lock.** A bucket with Object Lock cannot be a server access log destination.
 * - **Access logging of its own.** Logging a log bucket into itself loops; access to it is audited through CloudTrail
 *   S3 data events instead. This is the one bucket where the access-logging control is satisfied by design (MLOPS-S3-005 passes it
 *   as a log destination).
 *
 * @example
 * const logs = new AccessLogBucket(this, 'AccessLogs');
 * new EncryptedBucket(this, 'Data', { accessLogBucket: logs.bucket });
 * new EncryptedBucket(this, 'Models', { purpose: KeyPurpose.MODEL_ARTIFACTS, accessLogBucket: logs.bucket });
 */
export class AccessLogBucket extends Construct {
  /** The bucket (pass it as `accessLogBucket` or `serverAccessLogsBucket`). */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps = {}) {
    super(scope, id);
    const problems = new ProblemCollector(this.node.path, 'AccessLogBucket');
    wholeDays(props.retention, problems, 'retention', 'Duration.days(365)');
    wholeDays(props.noncurrentVersionRetention, problems, 'noncurrentVersionRetention', 'Duration.days(90)');
    problems.throwIfAny();

    // Log delivery must be granted by bucket policy (ACLs are disabled), whatever the app's feature flags say.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    this.bucket = new s3.Bucket(this, 'Resource', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'ExpireAccessLogs',
        expiration: props.retention ?? Duration.days(365),
        noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90),
      }],
    });

    const nag = (id: string, reason: string) => Validations.of(this.bucket).acknowledge({ id, reason });
    const sseS3 =
      'S3 server access log delivery supports only SSE-S3 (AES-256) default encryption on the destination bucket; ' +
      'SSE-KMS is not supported by AWS, so the access logs are encrypted at rest with S3-managed keys.';
    nag('HIPAA.Security-S3DefaultEncryptionKMS', sseS3);
    nag('NIST.800.53.R5-S3DefaultEncryptionKMS', sseS3);
    nag('PCI.DSS.321-S3DefaultEncryptionKMS', sseS3);
    const destination =
      'This bucket is the server access log destination: logging it into itself would log every log delivery again. ' +
      'Access to the logs is audited through CloudTrail S3 data events instead.';
    nag('AwsSolutions-S1', destination);
    nag('HIPAA.Security-S3BucketLoggingEnabled', destination);
    nag('NIST.800.53.R5-S3BucketLoggingEnabled', destination);
    nag('PCI.DSS.321-S3BucketLoggingEnabled', destination);
    const replication =
      'Access logs are operational evidence kept in-Region with versioning (a deleted or overwritten log stays ' +
      'recoverable); the audit record of account activity is the CloudTrail trail. An organisation that needs a ' +
      'second copy passes its own replicated bucket as accessLogBucket.';
    nag('HIPAA.Security-S3BucketReplicationEnabled', replication);
    nag('NIST.800.53.R5-S3BucketReplicationEnabled', replication);
    nag('PCI.DSS.321-S3BucketReplicationEnabled', replication);
  }

  /** The bucket's name. */
  public get bucketName(): string {
    return this.bucket.bucketName;
  }

  /** The bucket's ARN. */
  public get bucketArn(): string {
    return this.bucket.bucketArn;
  }
}
