import { defineRule, fail, pass, unresolvable } from '../../../rule';
import { bucketTarget } from './bucket-names';
import { LOG_DESTINATIONS, LogSource } from './log-destinations';

const LOGGING_TO = (destination: unknown) => ({ DestinationBucketName: destination, LogFilePrefix: 'data/' });

/** MLOPS-S3-005: buckets deliver server access logs to a separate bucket. */
export default defineRule({
  id: 'MLOPS-S3-005',
  title: 'S3 bucket delivers server access logs to a log bucket',
  resourceTypes: ['AWS::S3::Bucket'],
  severity: 'medium',
  themes: ['LOG'],
  acknowledgeable: true,
  rationale:
    'Server access logs record every request to the bucket (requester, operation, object, result), including ' +
    'anonymous and denied ones that CloudTrail management events do not show. Who read a training set or a model ' +
    'artifact is the evidence an access review or a breach investigation starts from.',
  fix:
    'Use regulated-mlops EncryptedBucket, or set serverAccessLogsBucket: <log s3.Bucket> (and serverAccessLogsPrefix) ' +
    'on the s3.Bucket (LoggingConfiguration {DestinationBucketName, LogFilePrefix}). The log bucket itself passes ' +
    'when it receives the logs of a bucket of the same template.',
  references: [
    'AWS Config s3-bucket-logging-enabled',
    'Control Tower CT.S3.PR.2',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html',
  ],
  scenarios: [
    {
      name: 'logs to a bucket of the template',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO({ Ref: 'AccessLogs' }) } },
      others: { AccessLogs: { Type: 'AWS::S3::Bucket', Properties: {} } },
    },
    {
      name: 'logs to a central log bucket by name',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO('org-s3-access-logs-111122223333') } },
    },
    {
      name: 'the access-log destination of another bucket, without logging of its own',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Data: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO({ Ref: 'Subject' }) } } },
    },
    {
      name: 'the destination of another bucket by its literal name',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'access-logs' } },
      others: { Data: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO('access-logs') } } },
    },
    { name: 'no LoggingConfiguration', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: {} } },
    {
      name: 'LoggingConfiguration without a destination (logs into itself)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: { LogFilePrefix: 'self/' } } },
    },
    {
      name: 'destination is the bucket itself',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO({ Ref: 'Subject' }) } },
    },
    {
      name: 'destination is its own literal name',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data', LoggingConfiguration: LOGGING_TO('data') } },
    },
    {
      name: 'destination behind a condition',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO({ 'Fn::If': ['Central', 'org-logs', { Ref: 'AWS::NoValue' }] }) } },
    },
    {
      name: 'no logging, and another bucket logs to a parameter that may name it',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Data: { Type: 'AWS::S3::Bucket', Properties: { LoggingConfiguration: LOGGING_TO({ Ref: 'LogBucketName' }) } } },
    },
  ],
  evaluate(bucket, ctx) {
    const base = 'Properties/LoggingConfiguration';
    const config = ctx.literal(bucket.properties.LoggingConfiguration, base);
    if (config !== undefined) {
      const path = `${base}/DestinationBucketName`;
      if (!ctx.isPresent(config.DestinationBucketName, path)) {
        return fail(path, 'LoggingConfiguration has no DestinationBucketName, so S3 writes the logs into the bucket itself (each log write is logged again)');
      }
      const target = bucketTarget(config.DestinationBucketName, ctx);
      if (target.kind === 'bucket' && target.logicalId === bucket.logicalId) {
        return fail(path, 'DestinationBucketName is the bucket itself (each log write is logged again); use a separate log bucket');
      }
      return pass();
    }
    const { sourcesByDestination, unmappedSources } = ctx.appIndex(LOG_DESTINATIONS);
    const name = (s: LogSource) => (s.document === ctx.document ? s.bucket.logicalId : `${s.bucket.logicalId} (${s.document.stack ?? s.document.source})`);
    const sources = sourcesByDestination.get(bucket) ?? [];
    if (sources.length > 0) {
      return pass(
        'access-log destination: logging it into itself would loop; its own writes are recorded by CloudTrail data events ' +
        `(receives the access logs of ${sources.map(name).join(', ')})`,
      );
    }
    // Whether this bucket is a log destination, and so exempt, depends on a value unknown at synth.
    if (unmappedSources.length > 0) {
      return unresolvable(base, `the bucket has no LoggingConfiguration; ${unmappedSources.map(name).join(', ')} delivers access logs to a bucket that cannot be resolved at synth and may be this one`);
    }
    return fail(base, 'LoggingConfiguration is absent: server access logging is off');
  },
});
