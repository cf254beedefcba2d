import { Aws, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IKeyRing, KeyPurpose, KeyRing } from '../security/key-ring';
import { PrivateNetwork } from '../security/private-network';
import { DriftBackend, DriftS3Object } from './drift-backend';
import { DRIFT_DIMENSIONS, DRIFT_METRIC_NAMESPACE, DRIFT_METRICS } from './drift-job-handler/contract';

const HTTPS = ec2.Port.tcp(443);
const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** Properties of a `DriftMonitor`. */
export interface DriftMonitorProps {
  /** The endpoint to monitor (its name, e.g. `ModelEndpoint.endpointName`). */
  readonly endpointName: string;
  /** The bucket the endpoint's data capture writes to. */
  readonly captureBucket: s3.IBucket;
  /**
   * The key captured objects are encrypted with (`DataCaptureConfig.KmsKeyId`).
   * @default - the capture bucket's `encryptionKey`
   */
  readonly captureKey?: kms.IKey;
  /**
   * The key prefix of the capture destination (`DataCaptureConfig.DestinationS3Uri` is `s3://<bucket>/<prefix>`);
   * SageMaker writes below `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/`.
   * @default 'data-capture' (ModelEndpoint's default)
   */
  readonly capturePrefix?: string;
  /**
   * The baseline JSON the library job compares with (`lib/drift` `DriftBaseline`: per feature its bins and
   * proportions, in the CSV column order of the model's input). Required with the library job.
   * @default - none (Model Monitor takes its own baseline)
   */
  readonly baseline?: DriftS3Object;
  /**
   * How drift is measured.
   * @default DriftBackend.libraryJob()
   */
  readonly backend?: DriftBackend;
  /**
   * Where alarms notify the model's reviewers. An imported topic's policy must let `cloudwatch.amazonaws.com` publish
   * and, when encrypted, its key policy must let CloudWatch use the key: this construct cannot change them.
   * @default - a topic created here: KMS-encrypted with the LOGS key, TLS only, open to this account's alarms
   */
  readonly reviewTopic?: sns.ITopic;
  /**
   * The VPC the drift job (or the Model Monitor jobs) run in. It needs the S3 gateway endpoint and, for the library
   * job, the CloudWatch `monitoring` interface endpoint (`PrivateNetwork` has both).
   * @default - a `PrivateNetwork` created here (child 'Network') with the S3 gateway and the `monitoring` endpoint
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of the jobs.
   * @default - the VPC's isolated subnets
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Security groups of the jobs (1 to 5). They must allow HTTPS to the VPC endpoints and S3.
   * @default - a security group with HTTPS egress only (see `s3PrefixListId`) and no ingress
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The id of the region's S3 prefix list (`pl-...`). With it the default security group allows HTTPS only to the
   * VPC's CIDR block (interface endpoints) and to S3.
   * @default - HTTPS to any IPv4 address, which in isolated subnets reaches only the VPC endpoints
   */
  readonly s3PrefixListId?: string;
  /**
   * The keys: LOGS for the review topic, the job's log group and dead-letter queue; DATA for Model Monitor volumes
   * and reports.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
}

/**
 * Drift monitoring of one SageMaker endpoint, with alarms that notify the model's reviewers.
 *
 * Two backends (`DriftBackend`):
 * - `libraryJob()` (default): a scheduled Lambda function over the endpoint's data-capture bucket computes the
 *   population stability index (PSI) and KL(current ‖ baseline) of every input feature against a baseline and
 *   publishes them to CloudWatch (`RegulatedMlops/Drift`); alarms fire on significant drift and on silence (the job
 *   or data capture stopped). Works in every account.
 * - `modelMonitor({...})`: SageMaker Model Monitor schedules (data quality, and model quality, bias and explainability
 *   when configured), isolated, encrypted in transit and at rest. Model Monitor is closed to new customers.
 *
 * Under the hood: both run in private subnets with HTTPS-only egress; the review topic (unless given) is encrypted
 * with the LOGS key, denies non-TLS publishing and admits CloudWatch alarms of this account only. The library job's
 * function carries the endpoint name in its `DRIFT_ENDPOINT_NAME` variable, the marker by which rule MLOPS-SM-030
 * recognises a drift job for an endpoint; Model Monitor schedules name the endpoint in `EndpointName`.
 *
 * @example
 * new DriftMonitor(this, 'Drift', {
 *   endpointName: endpoint.endpointName,
 *   captureBucket: endpoint.dataCaptureBucket!,
 *   baseline: { bucket: artifacts.bucket, key: 'baselines/credit-risk/v3.json' },
 *   backend: DriftBackend.libraryJob({ psiThreshold: 0.2 }),
 *   keys, vpc: network.vpc,
 * });
 */
export class DriftMonitor extends Construct {
  /** The monitored endpoint's name. */
  public readonly endpointName: string;
  /** Where the alarms notify. */
  public readonly reviewTopic: sns.ITopic;
  /** Every alarm of the monitor. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The drift job function (library job only). */
  public readonly driftFunction?: lambda.Function;
  /** The Model Monitor schedules (Model Monitor only). */
  public readonly monitoringSchedules: sagemaker.CfnMonitoringSchedule[];
  /** The security groups of the jobs. */
  public readonly securityGroups: ec2.ISecurityGroup[];

  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: DriftMonitorProps) {
    super(scope, id);
    const backend = props.backend ?? DriftBackend.libraryJob();
    validate(this.node.path, props, backend);

    const keys = props.keys ?? new KeyRing(this, 'Keys');
    this.endpointName = props.endpointName;
    this.reviewTopic = props.reviewTopic ?? this.createReviewTopic(keys.key(KeyPurpose.LOGS));
    const network = props.vpc ? undefined : new PrivateNetwork(this, 'Network', { keys, interfaceEndpoints: ['monitoring'] });
    const vpc = props.vpc ?? network!.vpc;
    this.securityGroups = props.securityGroups ?? [this.createSecurityGroup(vpc, props.s3PrefixListId)];

    const resources = backend._bind(this, {
      endpointName: props.endpointName,
      captureBucket: props.captureBucket,
      captureKey: props.captureKey,
      capturePrefix: (props.capturePrefix ?? 'data-capture').replace(/^\/+|\/+$/g, ''),
      baseline: props.baseline,
      reviewTopic: this.reviewTopic,
      vpc,
      subnets: props.subnets ?? network?.isolatedSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: this.securityGroups,
      keys,
    });
    this.alarms = resources.alarms;
    this.driftFunction = resources.function;
    this.monitoringSchedules = resources.monitoringSchedules;
    this.period = resources.period;
  }

  /** A drift metric of the library job (namespace `RegulatedMlops/Drift`) for this endpoint. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: DRIFT_METRIC_NAMESPACE,
      metricName,
      period: this.period,
      ...props,
      dimensionsMap: { [DRIFT_DIMENSIONS.endpointName]: this.endpointName, ...props.dimensionsMap },
    });
  }

  /** The largest per-feature PSI of each run (library job). @default - Maximum over the schedule */
  public metricMaxFeaturePsi(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.maxFeaturePsi, { statistic: 'Maximum', ...props });
  }

  /** The PSI of one feature (library job). @default - Maximum over the schedule */
  public metricFeaturePsi(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.featurePsi, { statistic: 'Maximum', ...props, dimensionsMap: { [DRIFT_DIMENSIONS.feature]: feature } });
  }

  /** KL(current ‖ baseline) of one feature, in nats (library job). @default - Maximum over the schedule */
  public metricFeatureKl(feature: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.featureKl, { statistic: 'Maximum', ...props, dimensionsMap: { [DRIFT_DIMENSIONS.feature]: feature } });
  }

  /** Captured input rows each run evaluated (library job). @default - Sum over the schedule */
  public metricRecordsEvaluated(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(DRIFT_METRICS.recordsEvaluated, { statistic: 'Sum', ...props });
  }

  private createReviewTopic(key: kms.IKey): sns.Topic {
    const topic = new sns.Topic(this, 'ReviewTopic', { masterKey: key, enforceSSL: true, displayName: `Drift review: ${this.node.path}` });
    // CloudWatch publishes alarm state changes, for alarms of this account only.
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromThisAccount,
    }));
    // (verify) that CloudWatch sends aws:SourceAccount on its KMS calls for encrypted topics.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsUseKeyForTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromThisAccount,
    }));
    return topic;
  }

  private createSecurityGroup(vpc: ec2.IVpc, s3PrefixListId: string | undefined): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: `Drift monitoring jobs of ${this.node.path}: HTTPS out to the VPC endpoints and S3, nothing in`,
      allowAllOutbound: false,
    });
    if (s3PrefixListId !== undefined) {
      sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), HTTPS, 'HTTPS to the interface endpoints (CloudWatch metrics)');
      sg.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), HTTPS, 'HTTPS to S3 (captured data, baseline) through the gateway endpoint');
    } else {
      sg.addEgressRule(ec2.Peer.anyIpv4(), HTTPS, 'HTTPS to the VPC endpoints and S3; isolated subnets route nowhere else');
    }
    return sg;
  }
}

function validate(path: string, props: DriftMonitorProps, backend: DriftBackend): void {
  const problems = new ProblemCollector(path, 'DriftMonitor');
  const name = props.endpointName;
  if (!Token.isUnresolved(name)) {
    problems.check(!ENDPOINT_NAME.test(name), 'endpointName', name, 'an endpoint name: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen',
      'pass the endpoint\'s name (ModelEndpoint.endpointName)');
  }
  const prefix = props.capturePrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix)) {
    problems.check(prefix.length > 256 || /[*?]/.test(prefix), 'capturePrefix', prefix, 'an S3 key prefix without wildcards, at most 256 characters',
      'pass the prefix of DataCaptureConfig.DestinationS3Uri (after the bucket name)');
  }
  if (backend.usesBaseline) {
    problems.check(props.baseline === undefined, 'baseline', undefined, 'the S3 location of the baseline JSON (required by the library drift job)',
      'pass baseline: { bucket, key } of a document built with lib/drift numericBaselineFeature / categoricalBaselineFeature');
  } else {
    problems.check(props.baseline !== undefined, 'baseline', 'a baseline with the Model Monitor backend', 'no baseline: Model Monitor uses backend.dataQualityBaseline',
      'remove baseline, or use DriftBackend.libraryJob()');
  }
  const groups = props.securityGroups;
  problems.check(groups !== undefined && (groups.length < 1 || groups.length > 5), 'securityGroups', groups?.length, '1 to 5 security groups',
    'pass between 1 and 5, or omit for the default');
  problems.check(props.vpc === undefined && props.subnets !== undefined, 'subnets', 'subnets without vpc', 'subnets only with vpc',
    'pass vpc too, or drop subnets to use the created network\'s isolated subnets');
  problems.check(props.vpc === undefined && props.securityGroups !== undefined, 'securityGroups', 'security groups without vpc',
    'security groups only with vpc (they belong to a VPC)', 'pass vpc too');
  backend._validate(problems);
  problems.throwIfAny();
}
