import * as path from 'path';
import { Duration, IgnoreMode, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ProblemCollector } from '../../lib/core/errors';
import { compiledHandlerDir } from '../private/handler-asset';
import { KeyPurpose } from '../security/key-ring';
import type { DriftBackendContext, LibraryDriftJobOptions } from './drift-backend';
import { DRIFT_DIMENSIONS, DRIFT_JOB_ENV, DRIFT_METRIC_NAMESPACE, DRIFT_METRICS } from './drift-job-handler/contract';
import { capturePrefixOf, cronHours, scheduleHours, validateRange, validateSchedule } from './drift-common';
import { ManagedPolicyRole } from './managed-policy-role';
import { acknowledgeWildcardResources } from './nag-wildcards';

const HANDLER_DIR = 'constructs/sagemaker/drift-job-handler';

/** Properties of a `LibraryDriftJob`. */
export interface LibraryDriftJobProps extends LibraryDriftJobOptions {
  readonly context: DriftBackendContext;
}

/** Checks the library job options (`DriftBackend.libraryJob`). */
export function validateLibraryJob(options: LibraryDriftJobOptions, problems: ProblemCollector): void {
  validateSchedule(options.schedule, problems, 'backend.schedule');
  const window = options.window;
  if (window !== undefined && !window.isUnresolved()) {
    const hours = window.toHours({ integral: false });
    problems.check(!Number.isInteger(hours) || hours < 1 || hours > 168, 'backend.window', window.toHumanString(),
      'whole hours from 1 to 168 (a week)', 'use Duration.hours(1), or the schedule');
  }
  validateRange(options.psiThreshold, problems, 'backend.psiThreshold', 0.01, 10, 'use 0.2 (significant shift) or 0.1 (moderate)');
  validateRange(options.klThreshold, problems, 'backend.klThreshold', 0.001, 10, 'use a value such as 0.1 nats');
  validateRange(options.minimumRecords, problems, 'backend.minimumRecords', 0, 10_000_000, 'use 100', true);
  validateRange(options.memorySize, problems, 'backend.memorySize', 128, 10240, 'use 1024', true);
  const timeout = options.timeout;
  if (timeout !== undefined && !timeout.isUnresolved()) {
    const seconds = timeout.toSeconds({ integral: false });
    problems.check(seconds < 1 || seconds > 900, 'backend.timeout', timeout.toHumanString(), '1 second to 15 minutes', 'use Duration.minutes(5)');
  }
  const retention = options.logRetention;
  if (retention !== undefined) {
    problems.check(retention === logs.RetentionDays.INFINITE || retention < logs.RetentionDays.ONE_YEAR, 'backend.logRetention',
      retention === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${retention} days`,
      'at least RetentionDays.ONE_YEAR (PCI DSS 10.5.1); not INFINITE, which declares no retention (MLOPS-LOGS-002)', 'use logs.RetentionDays.ONE_YEAR or longer');
  }
}

/**
 * The library's drift job for one endpoint.
 *
 * Under the hood: a Lambda function (Node.js 22, in the private subnets, reserved concurrency 1 so runs never
 * overlap) started by an EventBridge schedule 10 minutes past every N-th hour. It reads the baseline JSON and the last
 * window's capture files of every variant, computes PSI and KL(current ‖ baseline) per feature, and publishes
 * FeaturePSI, FeatureKL (dimensions EndpointName, Feature), MaxFeaturePSI, MaxFeatureKL and RecordsEvaluated
 * (EndpointName) in the `RegulatedMlops/Drift` namespace. Failed runs (after Lambda's two retries) go to a
 * KMS-encrypted, TLS-only dead-letter queue; logs to a KMS-encrypted log group kept a year.
 *
 * Alarms notify the review topic: drift (MaxFeaturePSI above the threshold in 2 of 3 runs), optionally KL, and
 * silence (no RecordsEvaluated, or 0 rows, in 2 consecutive periods: the job stopped or capture stopped).
 *
 * The role may only list and read the endpoint's capture prefix and the baseline object, decrypt with their keys,
 * put metrics into its own namespace, write its log group and dead-letter queue, and manage its network interfaces.
 *
 * Each run holds the window's input rows in memory (a few hundred bytes per row and feature): an endpoint capturing
 * millions of requests per window needs a lower capture sampling percentage, a shorter window or more memory.
 */
export class LibraryDriftJob extends Construct {
  /** The drift job function. */
  public readonly function: lambda.Function;
  /** Its execution role, with every permission in one customer-managed policy. */
  public readonly role: ManagedPolicyRole;
  /** Where failed runs go. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The drift, KL (when a threshold is set) and silence alarms. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: LibraryDriftJobProps) {
    super(scope, id);
    const ctx = props.context;
    const baseline = ctx.baseline!;
    const hours = scheduleHours(props.schedule);
    const period = Duration.hours(hours);
    const logsKey = ctx.keys.key(KeyPurpose.LOGS);

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the drift job of ${scope.node.path}`,
      policyDescription: `What the drift job of ${scope.node.path} uses`,
    });
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: logsKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: logsKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.grantAccess(ctx, logGroup);
    // Lambda sends failed events to the queue with the role's credentials; the queue's key must let it encrypt.
    logsKey.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');

    this.function = new lambda.Function(this, 'Function', {
      description: `Drift job (PSI, KL) of endpoint captured data, ${scope.node.path}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      code: handlerWithDriftMaths(),
      handler: `${HANDLER_DIR}/index.handler`,
      role: this.role,
      timeout: props.timeout ?? Duration.minutes(5),
      memorySize: props.memorySize ?? 1024,
      reservedConcurrentExecutions: 1,
      deadLetterQueue: this.deadLetterQueue,
      logGroup,
      vpc: ctx.vpc,
      vpcSubnets: ctx.subnets,
      securityGroups: ctx.securityGroups,
      environment: {
        [DRIFT_JOB_ENV.endpointName]: ctx.endpointName,
        [DRIFT_JOB_ENV.captureBucket]: ctx.captureBucket.bucketName,
        [DRIFT_JOB_ENV.capturePrefix]: ctx.capturePrefix,
        [DRIFT_JOB_ENV.baselineBucket]: baseline.bucket.bucketName,
        [DRIFT_JOB_ENV.baselineKey]: baseline.key,
        [DRIFT_JOB_ENV.windowHours]: String(props.window?.toHours() ?? hours),
        [DRIFT_JOB_ENV.minimumRecords]: String(props.minimumRecords ?? 100),
      },
    });
    // Lambda checks at creation that the role may create network interfaces in the VPC.
    this.function.node.addDependency(this.role.policy);

    new events.Rule(this, 'Schedule', {
      description: `Runs the drift job of ${scope.node.path}`,
      schedule: events.Schedule.cron({ minute: '10', hour: cronHours(hours) }),
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 2 })],
    });

    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: DRIFT_METRIC_NAMESPACE, metricName, statistic, period, dimensionsMap: { [DRIFT_DIMENSIONS.endpointName]: ctx.endpointName },
    });
    const psiThreshold = props.psiThreshold ?? 0.2;
    this.addAlarm('DriftAlarm', {
      metric: metric(DRIFT_METRICS.maxFeaturePsi, 'Maximum'),
      threshold: psiThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      // Absent values are the silence alarm's concern.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Input drift on ${ctx.endpointName}: the largest per-feature PSI exceeded ${psiThreshold} in 2 of 3 runs. ` +
        'Compare FeaturePSI per feature (RegulatedMlops/Drift) and review whether the model must be retrained.',
    }, ctx);
    if (props.klThreshold !== undefined) {
      this.addAlarm('KlAlarm', {
        metric: metric(DRIFT_METRICS.maxFeatureKl, 'Maximum'),
        threshold: props.klThreshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Input drift on ${ctx.endpointName}: the largest per-feature KL(current || baseline) exceeded ${props.klThreshold} nats in 2 of 3 runs.`,
      }, ctx);
    }
    this.addAlarm('SilenceAlarm', {
      metric: metric(DRIFT_METRICS.recordsEvaluated, 'Sum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // No data point means the job did not run: that is the failure this alarm exists for.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `Drift monitoring of ${ctx.endpointName} is blind: no captured rows were evaluated in 2 consecutive periods ` +
        '(the job failed or stopped, see its log and dead-letter queue, or data capture stopped).',
    }, ctx);

    this.acknowledgeNag(ctx);
  }

  private addAlarm(id: string, props: cloudwatch.AlarmProps, ctx: DriftBackendContext): void {
    const alarm = new cloudwatch.Alarm(this, id, props);
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(ctx.reviewTopic));
    alarm.addOkAction(new cloudwatchActions.SnsAction(ctx.reviewTopic));
    this.alarms.push(alarm);
  }

  /** Each action on the resources it is used on; the grants of the keys mark the role with their purpose tag. */
  private grantAccess(ctx: DriftBackendContext, logGroup: logs.LogGroup): void {
    const endpointPrefix = capturePrefixOf(ctx);
    const baseline = ctx.baseline!;
    const statements = [
      new iam.PolicyStatement({
        sid: 'ListCapturedData',
        actions: ['s3:ListBucket'],
        resources: [ctx.captureBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${endpointPrefix}*`] } },
      }),
      new iam.PolicyStatement({ sid: 'ReadCapturedData', actions: ['s3:GetObject'], resources: [ctx.captureBucket.arnForObjects(`${endpointPrefix}*`)] }),
      new iam.PolicyStatement({ sid: 'ReadBaseline', actions: ['s3:GetObject'], resources: [baseline.bucket.arnForObjects(baseline.key)] }),
      // PutMetricData has no resource-level permissions: the namespace condition is the scope.
      new iam.PolicyStatement({
        sid: 'PublishDriftMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': DRIFT_METRIC_NAMESPACE } },
      }),
      new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      // Lambda creates the function's interfaces in the private subnets with generated ids; the Describe actions have
      // no resource-level permissions.
      new iam.PolicyStatement({
        sid: 'NetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    ];
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
    const captureKey = ctx.captureKey ?? ctx.captureBucket.encryptionKey;
    captureKey?.grant(this.role, 'kms:Decrypt');
    if (baseline.bucket.encryptionKey && baseline.bucket.encryptionKey !== captureKey) baseline.bucket.encryptionKey.grant(this.role, 'kms:Decrypt');
  }

  private acknowledgeNag(ctx: DriftBackendContext): void {
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData and the EC2 network interface actions Lambda needs in a VPC support no resource-level ' +
        'permissions; PutMetricData is limited to the RegulatedMlops/Drift namespace by condition.',
    });
    acknowledgeWildcardResources(this.role, [ctx.captureBucket.arnForObjects(`${capturePrefixOf(ctx)}*`)],
      'SageMaker writes captured data under date-partitioned keys it generates (<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/); ' +
      'read access is limited to this endpoint\'s prefix, and listing to the same prefix by the s3:prefix condition.');
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'The drift job is built and tested for the Node.js 22 runtime (its AWS SDK v3 and the library\'s supported ' +
        'Node versions); moving to a newer runtime is a library release decision, not a per-stack one.',
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the drift job function; a dead-letter queue of a dead-letter queue adds nothing.',
    });
  }
}

/**
 * The compiled handler folder together with the drift maths it imports (`lib/drift`), from the package's compiled
 * tree: Lambda receives `constructs/sagemaker/drift-job-handler/` and `lib/drift/` and nothing else, so the maths
 * the tests check is the maths that runs.
 */
function handlerWithDriftMaths(): lambda.Code {
  const root = path.resolve(compiledHandlerDir(HANDLER_DIR), '..', '..', '..');
  return lambda.Code.fromAsset(root, {
    ignoreMode: IgnoreMode.GIT,
    exclude: [
      '/*', '!/constructs/', '/constructs/*', '!/constructs/sagemaker/', '/constructs/sagemaker/*', `!/${HANDLER_DIR}/`,
      '!/lib/', '/lib/*', '!/lib/drift/', '*.d.ts', '*.map', '*.ts',
    ],
  });
}
