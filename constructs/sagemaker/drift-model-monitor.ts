import { createHash } from 'crypto';
import { ArnFormat, Aws, CfnResource, Duration, Lazy, Names, Size, SizeRoundingBehavior, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import type { ProblemCollector } from '../../lib/core/errors';
import { EncryptedBucket } from '../security/encrypted-bucket';
import { KeyPurpose } from '../security/key-ring';
import type { DriftBackendContext, DriftS3Object, DriftS3Prefix, ModelMonitorDriftOptions, MonitorEndpointAttributes } from './drift-backend';
import { capturePrefixOf, cronHours, scheduleHours, validateRange, validateSchedule } from './drift-common';
import { acknowledgeWildcardResources } from './nag-wildcards';
import { ManagedPolicyRole } from './managed-policy-role';

/**
 * Where Model Monitor publishes data quality metrics when the job's environment sets `publish_cloudwatch_metrics`.
 * (verify) The documentation names `/aws/sagemaker/Endpoints/data-metric` and also shows `.../data-metrics` and
 * `/aws/sagemaker/Endpoint/data-metrics`, with dimensions `Endpoint` + `MonitoringSchedule` on some pages and
 * `EndpointName` + `ScheduleName` on others (reference/sagemaker.md §7): pin them in an account before relying on the alarms.
 */
export const MODEL_MONITOR_DATA_METRICS_NAMESPACE = '/aws/sagemaker/Endpoints/data-metric';

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*)(?::[\w.-]+)?(?:@sha256:[a-f0-9]{64})?$/;
const JOB_NAME_MAX = 63;
const INPUT_PATH = '/opt/ml/processing/input/endpoint';
const OUTPUT_PATH = '/opt/ml/processing/output';

/** Properties of a `ModelMonitorDrift`. */
export interface ModelMonitorDriftProps extends ModelMonitorDriftOptions {
  readonly context: DriftBackendContext;
}

/** Checks the Model Monitor options (`DriftBackend.modelMonitor`). */
export function validateModelMonitor(options: ModelMonitorDriftOptions, problems: ProblemCollector): void {
  validateSchedule(options.schedule, problems, 'backend.schedule');
  for (const [prop, uri] of [['backend.imageUri', options.imageUri], ['backend.clarifyImageUri', options.clarifyImageUri]] as const) {
    if (uri === undefined || Token.isUnresolved(uri)) continue;
    problems.check(!ECR_IMAGE.test(uri), prop, uri, 'an ECR image URI <account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@sha256:digest]',
      "pass the region's image URI from the SageMaker documentation (Model Monitor: sagemaker-model-monitor-analyzer; Clarify: sagemaker-clarify-processing)");
  }
  const needsClarify = options.modelBias !== undefined || options.modelExplainability !== undefined;
  problems.check(needsClarify && options.clarifyImageUri === undefined, 'backend.clarifyImageUri', undefined,
    'the SageMaker Clarify image URI of the region when modelBias or modelExplainability is set', 'pass clarifyImageUri');
  problems.check(options.alarmFeatures.length === 0, 'backend.alarmFeatures', options.alarmFeatures,
    'at least one feature name (drift without an alarm is not monitoring)', 'list the features whose baseline drift must raise an alarm');
  validateRange(options.driftThreshold, problems, 'backend.driftThreshold', 0.001, 1, 'use 0.1');
  validateRange(options.instanceCount, problems, 'backend.instanceCount', 1, 100, 'use 1', true);
  const volume = options.volumeSize?.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  validateRange(volume, problems, 'backend.volumeSize', 1, 16384, 'use Size.gibibytes(20)', true);
  const runtime = options.maxRuntime;
  if (runtime !== undefined && !runtime.isUnresolved()) {
    const seconds = runtime.toSeconds({ integral: false });
    const limit = Math.min(86400, (options.schedule?.toHours({ integral: false }) ?? 1) * 3600);
    problems.check(seconds < 1 || seconds > limit, 'backend.maxRuntime', runtime.toHumanString(),
      `1 second to ${limit / 3600} hour(s): a job must end before the next run of its schedule, and within 24 hours`, 'use Duration.hours(1)');
  }
  const quality = options.modelQuality;
  if (quality) {
    const binary = quality.problemType === 'BinaryClassification';
    problems.check(quality.inferenceAttribute === undefined && !(binary && quality.probabilityAttribute !== undefined),
      'backend.modelQuality.inferenceAttribute', undefined,
      'the predicted label or value in the output (or, for binary classification, probabilityAttribute)', 'set inferenceAttribute, e.g. "0" for the first CSV column');
  }
}

/**
 * SageMaker Model Monitor schedules for one endpoint: a data quality job definition and schedule, and model quality,
 * bias and explainability ones when configured.
 *
 * Every job runs with network isolation and inter-container traffic encryption in the private subnets; reports are
 * encrypted with the report bucket's key and processing volumes with the DATA key (rules MLOPS-SM-005, MLOPS-SM-006).
 * Job definitions are immutable (every change replaces them) and must be named explicitly (CloudFormation does not
 * reliably wait for generated names), so each name is the construct path plus a hash of the definition: stable across
 * synths, new whenever the definition changes, which lets CloudFormation replace it.
 *
 * Alarms: one per `alarmFeatures` entry on `feature_baseline_drift_<feature>` in the documented data quality namespace
 * (see `MODEL_MONITOR_DATA_METRICS_NAMESPACE`: the namespace and dimensions are still to be verified in an account).
 */
export class ModelMonitorDrift extends Construct {
  /** The role SageMaker runs the monitoring jobs with, every permission in one customer-managed policy. */
  public readonly role: ManagedPolicyRole;
  /** Where the jobs write statistics and violations. */
  public readonly reportBucket: s3.IBucket;
  /** The job definitions: data quality first, then model quality, bias and explainability when configured. */
  public readonly jobDefinitions: CfnResource[] = [];
  /** One schedule per job definition, in the same order. */
  public readonly schedules: sagemaker.CfnMonitoringSchedule[] = [];
  /** One alarm per `alarmFeatures` entry. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly ctx: DriftBackendContext;
  private readonly hours: number;
  /** S3 objects the jobs read (baselines, analysis configs) and ground truth prefixes. */
  private readonly readableObjects: DriftS3Object[] = [];
  private readonly readablePrefixes: DriftS3Prefix[] = [];

  constructor(scope: Construct, id: string, private readonly props: ModelMonitorDriftProps) {
    super(scope, id);
    this.ctx = props.context;
    this.hours = scheduleHours(props.schedule);
    const dataKey = this.ctx.keys.key(KeyPurpose.DATA);
    this.reportBucket = props.reportBucket ?? new EncryptedBucket(this, 'Reports', { keys: this.ctx.keys, purpose: KeyPurpose.DATA }).bucket;
    // The report bucket's policy may admit only uploads under its own key (EncryptedBucket does).
    const outputKey = this.reportBucket.encryptionKey ?? dataKey;

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Runs the Model Monitor jobs of ${scope.node.path}`,
      policyDescription: `What the Model Monitor jobs of ${scope.node.path} use`,
    });

    const vpc = this.ctx.vpc.selectSubnets(this.ctx.subnets);
    const common = {
      roleArn: this.role.roleArn,
      endpointName: this.ctx.endpointName,
      jobResources: {
        clusterConfig: {
          instanceCount: props.instanceCount ?? 1,
          instanceType: props.instanceType ?? 'ml.m5.xlarge',
          volumeSizeInGb: (props.volumeSize ?? Size.gibibytes(20)).toGibibytes(),
          volumeKmsKeyId: dataKey.keyArn,
        },
      },
      networkConfig: {
        enableNetworkIsolation: true,
        enableInterContainerTrafficEncryption: true,
        vpcConfig: { securityGroupIds: this.ctx.securityGroups.map((sg) => sg.securityGroupId), subnets: vpc.subnetIds },
      },
      stoppingCondition: { maxRuntimeInSeconds: (props.maxRuntime ?? Duration.hours(1)).toSeconds() },
    };
    const output = (type: string) => ({
      kmsKeyId: outputKey.keyArn,
      monitoringOutputs: [{ s3Output: { localPath: OUTPUT_PATH, s3Uri: this.reportUri(type), s3UploadMode: 'EndOfJob' } }],
    });
    const endpointInput = { endpointName: this.ctx.endpointName, localPath: INPUT_PATH };
    const metrics = { publish_cloudwatch_metrics: 'Enabled' };
    const uri = (o: DriftS3Object) => `s3://${o.bucket.bucketName}/${o.key}`;
    const prefixUri = (p: DriftS3Prefix) => `s3://${p.bucket.bucketName}/${p.prefix}`;

    const dq = props.dataQualityBaseline;
    const dataQuality = this.addJob('DataQuality', 'DataQuality', {
      ...common,
      dataQualityAppSpecification: { imageUri: props.imageUri, environment: metrics },
      dataQualityBaselineConfig: { constraintsResource: { s3Uri: uri(dq.constraints) }, statisticsResource: { s3Uri: uri(dq.statistics) } },
      dataQualityJobInput: { endpointInput },
      dataQualityJobOutputConfig: output('data-quality'),
    }, (id, p) => new sagemaker.CfnDataQualityJobDefinition(this, id, p));
    this.readableObjects.push(dq.constraints, dq.statistics);

    const quality = props.modelQuality;
    if (quality) {
      this.addJob('ModelQuality', 'ModelQuality', {
        ...common,
        modelQualityAppSpecification: { imageUri: props.imageUri, problemType: quality.problemType, environment: metrics },
        modelQualityBaselineConfig: quality.constraints ? { constraintsResource: { s3Uri: uri(quality.constraints) } } : undefined,
        modelQualityJobInput: {
          endpointInput: { ...endpointInput, ...outputAttributes(quality) },
          groundTruthS3Input: { s3Uri: prefixUri(quality.groundTruth) },
        },
        modelQualityJobOutputConfig: output('model-quality'),
      }, (id, p) => new sagemaker.CfnModelQualityJobDefinition(this, id, p));
      if (quality.constraints) this.readableObjects.push(quality.constraints);
      this.readablePrefixes.push(quality.groundTruth);
    }

    const bias = props.modelBias;
    if (bias) {
      this.addJob('ModelBias', 'ModelBias', {
        ...common,
        modelBiasAppSpecification: { imageUri: props.clarifyImageUri!, configUri: uri(bias.analysisConfig), environment: metrics },
        modelBiasBaselineConfig: bias.constraints ? { constraintsResource: { s3Uri: uri(bias.constraints) } } : undefined,
        modelBiasJobInput: {
          endpointInput: { ...endpointInput, featuresAttribute: bias.featuresAttribute, ...outputAttributes(bias) },
          groundTruthS3Input: { s3Uri: prefixUri(bias.groundTruth) },
        },
        modelBiasJobOutputConfig: output('model-bias'),
      }, (id, p) => new sagemaker.CfnModelBiasJobDefinition(this, id, p));
      this.readableObjects.push(bias.analysisConfig, ...(bias.constraints ? [bias.constraints] : []));
      this.readablePrefixes.push(bias.groundTruth);
    }

    const explainability = props.modelExplainability;
    if (explainability) {
      this.addJob('ModelExplainability', 'ModelExplainability', {
        ...common,
        modelExplainabilityAppSpecification: { imageUri: props.clarifyImageUri!, configUri: uri(explainability.analysisConfig), environment: metrics },
        modelExplainabilityBaselineConfig: explainability.constraints ? { constraintsResource: { s3Uri: uri(explainability.constraints) } } : undefined,
        modelExplainabilityJobInput: {
          endpointInput: {
            ...endpointInput,
            featuresAttribute: explainability.featuresAttribute,
            inferenceAttribute: explainability.inferenceAttribute,
            probabilityAttribute: explainability.probabilityAttribute,
          },
        },
        modelExplainabilityJobOutputConfig: output('model-explainability'),
      }, (id, p) => new sagemaker.CfnModelExplainabilityJobDefinition(this, id, p));
      this.readableObjects.push(explainability.analysisConfig, ...(explainability.constraints ? [explainability.constraints] : []));
    }

    this.grantAccess(dataKey, outputKey);
    this.addDriftAlarms(dataQuality.schedule);
    this.acknowledgeNag();
  }

  /**
   * A job definition named by its content (see `contentAddressedName`), and the schedule that runs it every N hours
   * (at minute 0: Model Monitor accepts only whole-hour crons).
   */
  private addJob<P extends object>(
    id: string, monitoringType: string, props: P, create: (id: string, props: P & { jobDefinitionName: string }) => CfnResource,
  ): { definition: CfnResource; schedule: sagemaker.CfnMonitoringSchedule } {
    // Produced at synth, when the definition exists.
    const name = Lazy.string({ produce: () => contentAddressedName(definition, props) });
    const definition = create(id, { ...props, jobDefinitionName: name });
    // The role's policy must be in place when SageMaker starts a job.
    definition.node.addDependency(this.role.policy);
    const schedule: sagemaker.CfnMonitoringSchedule = new sagemaker.CfnMonitoringSchedule(this, `${id}Schedule`, {
      // Create-only, so never changed: from the construct path.
      monitoringScheduleName: Lazy.string({ produce: () => Names.uniqueResourceName(schedule, { maxLength: JOB_NAME_MAX, separator: '-' }) }),
      endpointName: this.ctx.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: name,
        monitoringType,
        scheduleConfig: { scheduleExpression: `cron(0 ${cronHours(this.hours)} ? * * *)` },
      },
    });
    schedule.node.addDependency(definition);
    this.jobDefinitions.push(definition);
    this.schedules.push(schedule);
    return { definition, schedule };
  }

  /** The log group SageMaker writes processing (monitoring) job logs to. */
  private get processingLogs(): string {
    return Stack.of(this).formatArn({
      service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/ProcessingJobs:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private reportUri(type: string): string {
    return `s3://${this.reportBucket.bucketName}/model-monitor/${this.ctx.endpointName}/${type}`;
  }

  /** Each action on the resources it is used on; key grants mark the role with the keys' purpose tags. */
  private grantAccess(volumeKey: kms.IKey, outputKey: kms.IKey): void {
    const ctx = this.ctx;
    const capturePrefix = capturePrefixOf(ctx);
    const add = (statement: iam.PolicyStatement) => this.role.addToPrincipalPolicy(statement);
    add(new iam.PolicyStatement({
      sid: 'ListCapturedData', actions: ['s3:ListBucket'], resources: [ctx.captureBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${capturePrefix}*`] } },
    }));
    add(new iam.PolicyStatement({ sid: 'ReadCapturedData', actions: ['s3:GetObject'], resources: [ctx.captureBucket.arnForObjects(`${capturePrefix}*`)] }));
    add(new iam.PolicyStatement({
      sid: 'ReadBaselinesAndConfigs', actions: ['s3:GetObject'], resources: this.readableObjects.map((o) => o.bucket.arnForObjects(o.key)),
    }));
    this.readablePrefixes.forEach((p, i) => {
      add(new iam.PolicyStatement({
        sid: `ListGroundTruth${i}`, actions: ['s3:ListBucket'], resources: [p.bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${p.prefix}*`] } },
      }));
      add(new iam.PolicyStatement({ sid: `ReadGroundTruth${i}`, actions: ['s3:GetObject'], resources: [p.bucket.arnForObjects(`${p.prefix}*`)] }));
    });
    add(new iam.PolicyStatement({
      sid: 'WriteReports', actions: ['s3:PutObject'], resources: [this.reportBucket.arnForObjects(`model-monitor/${ctx.endpointName}/*`)],
    }));
    // Model Monitor images live in AWS-owned registries; the authorization token has no resource-level permissions.
    add(new iam.PolicyStatement({ sid: 'EcrAuthorization', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    add(new iam.PolicyStatement({
      sid: 'PullMonitorImages',
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
      resources: [...new Set([this.props.imageUri, this.props.clarifyImageUri].filter((u): u is string => u !== undefined).map(repositoryArn))],
    }));
    add(new iam.PolicyStatement({
      sid: 'JobNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
        'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions',
        'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
      ],
      resources: ['*'],
    }));
    add(new iam.PolicyStatement({
      sid: 'JobLogs',
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.processingLogs],
    }));
    add(new iam.PolicyStatement({
      sid: 'MonitorMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'],
      conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    }));

    const decrypt = new Set<kms.IKey>();
    const captureKey = ctx.captureKey ?? ctx.captureBucket.encryptionKey;
    if (captureKey) decrypt.add(captureKey);
    for (const o of [...this.readableObjects, ...this.readablePrefixes]) if (o.bucket.encryptionKey) decrypt.add(o.bucket.encryptionKey);
    for (const key of decrypt) key.grant(this.role, 'kms:Decrypt');
    outputKey.grant(this.role, 'kms:Encrypt', 'kms:GenerateDataKey');
    volumeKey.grant(this.role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey');
    // The processing volume is attached with a grant SageMaker creates for the job.
    add(new iam.PolicyStatement({
      sid: 'VolumeKeyGrants', actions: ['kms:CreateGrant'], resources: [volumeKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
  }

  private addDriftAlarms(schedule: sagemaker.CfnMonitoringSchedule): void {
    const threshold = this.props.driftThreshold ?? 0.1;
    this.props.alarmFeatures.forEach((feature, i) => {
      const alarm = new cloudwatch.Alarm(this, `FeatureDriftAlarm${i}`, {
        metric: new cloudwatch.Metric({
          namespace: MODEL_MONITOR_DATA_METRICS_NAMESPACE,
          metricName: `feature_baseline_drift_${feature}`,
          dimensionsMap: { Endpoint: this.ctx.endpointName, MonitoringSchedule: schedule.monitoringScheduleName },
          statistic: 'Maximum',
          period: Duration.hours(this.hours),
        }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Model Monitor: the baseline drift of feature ${feature} on ${this.ctx.endpointName} exceeded ${threshold}. ` +
          'See the violations report of the data quality schedule.',
      });
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.ctx.reviewTopic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(this.ctx.reviewTopic));
      this.alarms.push(alarm);
    });
  }

  private acknowledgeNag(): void {
    const ctx = this.ctx;
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken, cloudwatch:PutMetricData and the EC2 network interface actions SageMaker needs for ' +
        'VPC jobs support no resource-level permissions; PutMetricData is limited to /aws/sagemaker/* by condition.',
    });
    const acknowledge = (resources: string[], reason: string) => acknowledgeWildcardResources(this.role, resources, reason);
    acknowledge([ctx.captureBucket.arnForObjects(`${capturePrefixOf(ctx)}*`)],
      'SageMaker writes captured data under date-partitioned keys it generates; reads are limited to this endpoint\'s prefix.');
    acknowledge(this.readablePrefixes.map((p) => p.bucket.arnForObjects(`${p.prefix}*`)),
      'Ground truth labels are uploaded under keys partitioned by time; reads are limited to the configured prefix.');
    acknowledge([this.reportBucket.arnForObjects(`model-monitor/${ctx.endpointName}/*`)],
      'Model Monitor writes each execution\'s reports under paths it generates; writes are limited to this endpoint\'s report prefix.');
    acknowledge([this.processingLogs],
      'SageMaker writes processing job logs to the fixed /aws/sagemaker/ProcessingJobs group with one stream per job.');
    acknowledge([this.props.imageUri, this.props.clarifyImageUri].filter((u): u is string => u !== undefined).map(repositoryArn),
      'The image URI is a deploy-time value, so its repository cannot be named at synth.');
  }
}

/** The output attributes a model quality or bias job reads. */
function outputAttributes(attributes: MonitorEndpointAttributes) {
  return {
    inferenceAttribute: attributes.inferenceAttribute,
    probabilityAttribute: attributes.probabilityAttribute,
    probabilityThresholdAttribute: attributes.probabilityThresholdAttribute,
  };
}

/** The repository ARN of an ECR image URI; any repository when the URI is a token. */
function repositoryArn(uri: string): string {
  const match = Token.isUnresolved(uri) ? null : ECR_IMAGE.exec(uri);
  if (!match) return `arn:${Aws.PARTITION}:ecr:*:*:repository/*`;
  const [, account, region, repository] = match;
  return `arn:${Aws.PARTITION}:ecr:${region}:${account}:repository/${repository}`;
}

/**
 * `<construct path>-<hash>`, at most 63 characters: the hash covers the path and the resolved definition, so the
 * name is the same on every synth and changes exactly when the (immutable) definition does.
 */
function contentAddressedName(definition: CfnResource, props: object): string {
  const hash = createHash('sha256')
    .update(definition.node.path)
    .update(JSON.stringify(Stack.of(definition).resolve(props)))
    .digest('hex')
    .slice(0, 12);
  const base = Names.uniqueResourceName(definition, { maxLength: JOB_NAME_MAX - hash.length - 1, separator: '-' }).replace(/-+$/, '');
  return `${base}-${hash}`;
}
