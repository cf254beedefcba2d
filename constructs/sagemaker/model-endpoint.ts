import { Annotations, Aws, Duration, Names, RemovalPolicy, Size, SizeRoundingBehavior, Tags, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ProblemCollector, RegulatedMlopsError } from '../../lib/core/errors';
import { BucketContents, EncryptedBucket, IDataEventRecorder } from '../security/encrypted-bucket';
import { IKeyRing, KeyPurpose, KeyRing, keyUserTag } from '../security/key-ring';
import { PrivateNetwork } from '../security/private-network';
import { CapacitySizeType } from './capacity-size';
import { DeploymentStrategy, TrafficRoutingType } from './deployment-strategy';
import { DriftBackend, DriftS3Object } from './drift-backend';
import { DriftMonitor } from './drift-monitor';
import {
  checkDeployment, CheckedVariant, checkVariant, checkVariants, effectiveShare, MAX_ROLLBACK_ALARMS, round, SAGEMAKER_NAME,
} from './endpoint-checks';
import { InstanceStorage, instanceTypeInfo } from './instance-types';
import { BoundModelSource, ModelSource } from './model-source';
import { acknowledgeWildcardResources } from './nag-wildcards';

/** The namespace SageMaker publishes endpoint invocation metrics in. */
const NAMESPACE = 'AWS/SageMaker';
const HTTPS = ec2.Port.tcp(443);
const NAG_PACKS_WITH_ENDPOINT_KMS = ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** Where the model containers run. */
export interface EndpointNetwork {
  /** The VPC (`PrivateNetwork.vpc`, or an organisation's shared VPC). */
  readonly vpc: ec2.IVpc;
  /**
   * The subnets of the model's network interfaces (1 to 16): private subnets with the interface endpoints of ECR,
   * STS, CloudWatch Logs and KMS and a route to the S3 gateway endpoint.
   * @default - the VPC's isolated subnets (`PrivateNetwork.isolatedSubnets`)
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * The security groups of the model's network interfaces (1 to 5). They must allow HTTPS to the interface endpoints
   * and to S3.
   * @default - a security group with HTTPS egress only (see `s3PrefixListId`) and no ingress
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * The id of the region's S3 prefix list (`com.amazonaws.<region>.s3`, `pl-...`). With it, the default security group
   * allows HTTPS only to the VPC's CIDR block (interface endpoints) and to S3.
   * @default - the default security group allows HTTPS to any IPv4 address, which in isolated subnets reaches only
   * the VPC endpoints (the subnets have no other route)
   */
  readonly s3PrefixListId?: string;
}

/** Capture of requests and responses into S3: the record of what the model was asked and answered. */
export interface DataCaptureOptions {
  /**
   * Whether to capture. Turning it off is a relaxation (rule MLOPS-SM-004 then needs an acknowledgment): CloudTrail does
   * not record InvokeEndpoint, so nothing else keeps the payloads.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The bucket captured data goes to (`EncryptedBucket.bucket`). Captured payloads are regulated data.
   * @default - an `EncryptedBucket` created here with the DATA key, tagged as inference capture
   */
  readonly bucket?: s3.IBucket;
  /**
   * The customer-managed key captured objects are encrypted with.
   * @default - the bucket's `encryptionKey`
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Key prefix of the captured data in the bucket.
   * @default 'data-capture'
   */
  readonly prefix?: string;
  /**
   * Share of requests captured, a whole percentage from 0 to 100.
   * @default 100
   */
  readonly samplingPercentage?: number;
  /**
   * Content types captured as CSV text (1 to 10).
   * @default - SageMaker's default (captured payloads are base64-encoded unless their type is listed here or in json)
   */
  readonly csvContentTypes?: string[];
  /**
   * Content types captured as JSON text (1 to 10).
   * @default - SageMaker's default
   */
  readonly jsonContentTypes?: string[];
}

/** A further production variant of the endpoint. */
export interface EndpointVariantOptions {
  /** The variant name: constant across deployments (blue/green needs the same name in the old and new config). */
  readonly variantName: string;
  /**
   * The model this variant serves.
   * @default - the endpoint's `model`
   */
  readonly model?: ModelSource;
  /**
   * The instance type; must have the same storage kind (EBS or NVMe) as the endpoint's.
   * @default - the endpoint's `instanceType`
   */
  readonly instanceType?: string;
  /**
   * Declares the storage of an instance family the construct does not know yet.
   * @default - from the instance family table
   */
  readonly instanceStorage?: InstanceStorage;
  /**
   * The number of instances.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * The variant's share of traffic relative to the others' weights.
   * @default 1
   */
  readonly initialWeight?: number;
}

/** Properties of a `ModelEndpoint`. */
export interface ModelEndpointProps {
  /** The model to serve: `ModelSource.fromApprovedModel(...)` or `ModelSource.fromImage(...)`. */
  readonly model: ModelSource;
  /**
   * The instance type, e.g. `ml.g5.xlarge`. GPU and accelerator types are those of reference/sagemaker.md §5; CPU
   * types are accepted for families whose storage the construct knows.
   */
  readonly instanceType: string;
  /**
   * Declares whether the instance type has local NVMe instance storage (no KMS key, no volume size) or an EBS volume,
   * for an instance family the construct does not know yet.
   * @default - from the instance family table (an unknown family is an error)
   */
  readonly instanceStorage?: InstanceStorage;
  /**
   * The number of instances. Two or more keep the endpoint serving when an instance or an availability zone fails
   * (MLOPS-SM-022), and give a canary a fleet to be a slice of.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * The name of the primary variant. It is the same in every endpoint config this construct renders, as blue/green
   * deployments require.
   * @default 'AllTraffic'
   */
  readonly variantName?: string;
  /**
   * The primary variant's share of traffic relative to `additionalVariants`.
   * @default 1
   */
  readonly initialWeight?: number;
  /**
   * Further production variants (1 to 10 variants in total), e.g. a second model weighted 1:9.
   * @default - none
   */
  readonly additionalVariants?: EndpointVariantOptions[];
  /**
   * The size of the ML storage volume of EBS-backed instance types, 1 to 512 GiB. Not allowed for NVMe instance types,
   * where SageMaker rejects VolumeSizeInGB.
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSize?: Size;
  /**
   * The customer-managed key of the ML storage volume of EBS-backed instance types. Not allowed for NVMe instance
   * types, where SageMaker rejects KmsKeyId (the instance store is encrypted by the instance hardware).
   * @default - the MODEL_ARTIFACTS key of `keys` on EBS-backed types; none on NVMe types
   */
  readonly volumeEncryptionKey?: kms.IKey;
  /**
   * Where the model containers run.
   * @default - a new `PrivateNetwork` (child 'Network') and its isolated subnets
   */
  readonly network?: EndpointNetwork;
  /**
   * Data capture.
   * @default - every request and response captured into a new `EncryptedBucket` with the DATA key
   */
  readonly dataCapture?: DataCaptureOptions;
  /**
   * The audit trail that records the object reads and writes of the data-capture bucket (`AuditTrail`). Captured
   * inference data must be in the audit trail's S3 data events (MLOPS-CT-010).
   * @default - none here: add the capture bucket to a trail with `addDataEventBucket`
   */
  readonly auditTrail?: IDataEventRecorder;
  /**
   * How a new endpoint config is rolled out.
   * @default DeploymentStrategy.canary() - 10% canary, 10 minutes bake, 10 minutes final bake, 1 hour timeout
   */
  readonly deployment?: DeploymentStrategy;
  /**
   * Further alarms that roll the deployment back (e.g. a business KPI), besides the 5XX and latency alarms this
   * construct creates; at most 8, as SageMaker takes 10 rollback alarms. They must be in the same account and Region.
   * @default - none
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * The p99 model latency above which the deployment rolls back (the alarm threshold is in microseconds, the unit
   * SageMaker publishes ModelLatency in).
   * @default Duration.millis(500)
   */
  readonly latencyThreshold?: Duration;
  /**
   * The number of 5XX responses of the new fleet in one minute that rolls the deployment back.
   * @default 1
   */
  readonly errorThreshold?: number;
  /**
   * Where the alarms notify.
   * @default - a new SNS topic encrypted with the LOGS key, publishing over TLS only
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The endpoint name: at most 63 letters, digits and hyphens. Changing it replaces the endpoint.
   * @default - a deterministic name derived from the construct path
   */
  readonly endpointName?: string;
  /**
   * The keys: MODEL_ARTIFACTS for the ML volume, DATA for captured data, LOGS for the container logs and the alarm
   * topic, and those of the network. The LOGS key's policy is given a statement letting CloudWatch alarms of this
   * account use it for the topic; an imported key's policy must already allow `cloudwatch.amazonaws.com`
   * kms:Decrypt and kms:GenerateDataKey*, or alarm notifications are dropped.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * How long the container logs are kept: at least a year, never INFINITE.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the models, endpoint configs, capture bucket and log group created here when they are replaced or
   * the stack is deleted. Retained old models and configs keep a silently rolled-back endpoint consistent and are
   * the evidence of what was deployed; they cost nothing. The endpoint itself is deleted with the stack. A retained
   * log group keeps its name (`/aws/sagemaker/Endpoints/<endpointName>`): delete it before re-creating the endpoint.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

interface ResolvedVariant extends CheckedVariant {
  readonly source: ModelSource;
}

/** Options of `ModelEndpoint.monitorDrift`. */
export interface EndpointDriftOptions {
  /** The training-data baseline (required by the library's drift job). @default - none */
  readonly baseline?: DriftS3Object;
  /** How drift is measured. @default DriftBackend.libraryJob() */
  readonly backend?: DriftBackend;
  /** Where drift alarms notify. @default - the endpoint's alarm topic */
  readonly reviewTopic?: sns.ITopic;
}

/**
 * A SageMaker real-time endpoint for a model in a regulated environment, deployed blue/green with automatic rollback.
 *
 * Under the hood:
 * - **Model**: network isolation (no network, no credentials in the container) and the private network's subnets;
 *   the image pinned by digest; an execution role with exactly the ECR, S3, KMS, VPC and log permissions it uses, in a
 *   customer-managed policy.
 * - **Endpoint config**: the variants (1 to 10, each with a constant name); the ML volume encrypted with the
 *   MODEL_ARTIFACTS key, except on instance types with local NVMe storage, where SageMaker rejects the key and the volume
 *   size and the instance hardware encrypts the instance store (a warning and a cdk-nag acknowledgment say so); data
 *   capture into an encrypted bucket with its own key. Models and configs are retained when replaced.
 * - **Endpoint**: a blue/green `DeploymentConfig` (canary, linear or all at once) with `AutoRollbackConfiguration` on
 *   a 5XX alarm, a p99 ModelLatency alarm (microseconds) and your own alarms. The construct's alarms carry the
 *   dimension `EndpointConfigName` of the new config, so they judge the new fleet only, not errors of the old one.
 * - Container logs in a KMS-encrypted log group kept a year; alarms notify an encrypted, TLS-only SNS topic.
 *
 * Guardrails act on updates only. After an alarm, SageMaker moves all traffic back and the endpoint is InService on
 * the OLD config: export `endpointConfigName` as a stack output and run
 * `regulated-mlops verify-endpoint <endpointName> --expected-config <that output>` after each deploy.
 *
 * @example
 * const endpoint = new ModelEndpoint(this, 'Fraud', {
 *   model: ModelSource.fromApprovedModel(approved, { imageRepository: images.repository, artifactBucket: models.bucket }),
 *   instanceType: 'ml.g5.xlarge',
 *   deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.percent(10), wait: Duration.minutes(10) }),
 *   rollbackAlarms: [approvalRateAlarm],
 * });
 * endpoint.grantInvoke(apiRole);
 * endpoint.monitorDrift({ baseline: { bucket: models.bucket, key: 'fraud/baseline.json' } });
 * new CfnOutput(this, 'FraudEndpointConfig', { value: endpoint.endpointConfigName });
 */
export class ModelEndpoint extends Construct {
  /** The endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** The endpoint config of this synthesis (replaced, under a new generated name, on every change). */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The models, the primary variant's first. */
  public readonly models: sagemaker.CfnModel[];
  /** The endpoint's name. */
  public readonly endpointName: string;
  /** The endpoint's ARN. */
  public readonly endpointArn: string;
  /** The generated name of the endpoint config: what `verify-endpoint --expected-config` compares with. */
  public readonly endpointConfigName: string;
  /** The primary variant's name. */
  public readonly variantName: string;
  /** The role SageMaker assumes to pull the image and artifacts, write captured data and logs. */
  public readonly role: iam.IRole;
  /** The storage of the instance type (decides the volume key). */
  public readonly instanceStorage: InstanceStorage;
  /** The alarm on 5XX responses of the new fleet. */
  public readonly errorAlarm: cloudwatch.Alarm;
  /** The alarm on the p99 ModelLatency of the new fleet. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Every alarm that rolls a deployment back, the construct's first. */
  public readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** Where the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The bucket captured data goes to; undefined when capture is off. */
  public readonly dataCaptureBucket?: s3.IBucket;
  /** The log group of the containers. */
  public readonly logGroup: logs.ILogGroup;
  /** The security groups of the model's network interfaces. */
  public readonly securityGroups: ec2.ISecurityGroup[];
  /** The private network, when this construct created it. */
  public readonly network?: PrivateNetwork;

  private readonly variants: readonly ResolvedVariant[];
  /** What `monitorDrift` needs to watch this endpoint from the same network, with the same keys. */
  private readonly driftContext: { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; keys: IKeyRing; capturePrefix: string; captureKey?: kms.IKey };

  constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    const problems = new ProblemCollector(this.node.path, 'ModelEndpoint');
    const strategy = props.deployment ?? DeploymentStrategy.canary();
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.variants = resolveVariants(props);
    this.variants.forEach((v) => checkVariant(v, problems, (name) => (v.prop === '' ? name : `${v.prop}.${name}`)));
    checkVariants(this.variants, problems);
    checkDeployment(strategy, this.variants, problems);
    checkProps(props, problems);
    const bound = new Map<ModelSource, BoundModelSource>();
    this.variants.forEach((v) => {
      if (!bound.has(v.source)) bound.set(v.source, v.source._bind(problems, v.prop === '' ? 'model' : `${v.prop}.model`));
    });
    problems.throwIfAny();

    this.variantName = this.variants[0].variantName;
    this.instanceStorage = this.variants[0].info.storage!;
    const nvme = this.instanceStorage === InstanceStorage.NVME;
    const keys = props.keys ?? new KeyRing(this, 'Keys');
    this.endpointName = props.endpointName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' });

    // Network: the model's interfaces in private subnets, HTTPS out only.
    let vpc: ec2.IVpc;
    let subnets: ec2.SubnetSelection;
    if (props.network) {
      vpc = props.network.vpc;
      subnets = props.network.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    } else {
      this.network = new PrivateNetwork(this, 'Network', { keys });
      vpc = this.network.vpc;
      subnets = this.network.isolatedSubnets;
    }
    const createdSecurityGroup = props.network?.securityGroups ? undefined : this.createSecurityGroup(vpc, props.network?.s3PrefixListId);
    this.securityGroups = props.network?.securityGroups ?? [createdSecurityGroup!];
    const subnetIds = vpc.selectSubnets(subnets).subnetIds;
    checkSubnets(this.node.path, subnetIds);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // SageMaker writes container logs to this group; created here so it is encrypted and expires.
      logGroupName: `/aws/sagemaker/Endpoints/${this.endpointName}`,
      encryptionKey: keys.key(KeyPurpose.LOGS),
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });

    const capture = this.createDataCapture(props, keys, removalPolicy);
    this.dataCaptureBucket = capture?.bucket;
    this.driftContext = { vpc, subnets, keys, capturePrefix: props.dataCapture?.prefix ?? 'data-capture', captureKey: capture?.key };

    const { role, policy } = this.createExecutionRole([...bound.values()], capture);
    this.role = role;

    const modelOf = new Map<ModelSource, sagemaker.CfnModel>();
    for (const [source, config] of bound) {
      const model = new sagemaker.CfnModel(this, modelOf.size === 0 ? 'Model' : `Model${modelOf.size + 1}`, {
        executionRoleArn: role.roleArn,
        primaryContainer: { image: config.image, modelDataUrl: config.modelDataUrl, environment: config.environment },
        enableNetworkIsolation: true,
        vpcConfig: { subnets: subnetIds, securityGroupIds: this.securityGroups.map((sg) => sg.securityGroupId) },
      });
      if (config.modelPackageArn !== undefined) Tags.of(model).add('regulated-mlops:model-package-arn', config.modelPackageArn);
      model.applyRemovalPolicy(removalPolicy);
      // SageMaker checks that the role can pull the image when it creates the model.
      model.node.addDependency(policy);
      modelOf.set(source, model);
    }
    this.models = [...modelOf.values()];

    const volumeKey = nvme ? undefined : props.volumeEncryptionKey ?? keys.key(KeyPurpose.MODEL_ARTIFACTS);
    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: this.variants.map((v) => ({
        variantName: v.variantName,
        modelName: modelOf.get(v.source)!.attrModelName,
        instanceType: v.instanceType,
        initialInstanceCount: v.instanceCount,
        initialVariantWeight: v.initialWeight,
        volumeSizeInGb: nvme ? undefined : props.volumeSize?.toGibibytes(),
      })),
      kmsKeyId: volumeKey?.keyArn,
      dataCaptureConfig: capture?.config,
    });
    this.endpointConfig.applyRemovalPolicy(removalPolicy);
    this.endpointConfigName = this.endpointConfig.attrEndpointConfigName;
    if (nvme) this.acknowledgeNvme();

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic(keys.key(KeyPurpose.LOGS));
    this.errorAlarm = this.createErrorAlarm(props.errorThreshold ?? 1);
    this.latencyAlarm = this.createLatencyAlarm(props.latencyThreshold ?? Duration.millis(500));
    this.rollbackAlarms = [this.errorAlarm, this.latencyAlarm, ...props.rollbackAlarms ?? []];

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Resource', {
      endpointName: this.endpointName,
      endpointConfigName: this.endpointConfigName,
      deploymentConfig: {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: {
            type: strategy.type,
            waitIntervalInSeconds: strategy.wait.toSeconds(),
            canarySize: strategy.type === TrafficRoutingType.CANARY ? capacity(strategy) : undefined,
            linearStepSize: strategy.type === TrafficRoutingType.LINEAR ? capacity(strategy) : undefined,
          },
          terminationWaitInSeconds: strategy.terminationWait.toSeconds(),
          maximumExecutionTimeoutInSeconds: strategy.maxExecutionTimeout.toSeconds(),
        },
        autoRollbackConfiguration: { alarms: this.rollbackAlarms.map((alarm) => ({ alarmName: alarm.alarmName })) },
      },
    });
    // The role's permissions, the log group and the security groups' rules must exist before instances start.
    this.endpoint.node.addDependency(policy, this.logGroup, ...(createdSecurityGroup ? [createdSecurityGroup] : []));
    this.endpointArn = this.endpoint.attrEndpointArn;

    this.warnAboutShares(strategy);
  }

  /** Lets `grantee` call InvokeEndpoint on this endpoint. */
  /**
   * Watches the captured inference data for drift: PSI and KL divergence per feature against a baseline, by default
   * with the library's own scheduled drift job, alarming to the endpoint's alarm topic. Every production endpoint
   * needs drift monitoring (MLOPS-SM-030).
   */
  public monitorDrift(options: EndpointDriftOptions = {}): DriftMonitor {
    if (!this.dataCaptureBucket) {
      throw new RegulatedMlopsError('InvalidConfiguration', 'Drift monitoring reads captured data', [{
        path: `${this.node.path}:dataCapture`, received: 'data capture disabled', allowed: 'data capture enabled',
        fix: 'leave dataCapture.enabled at its default (true)',
      }]);
    }
    const { vpc, subnets, keys, capturePrefix, captureKey } = this.driftContext;
    return new DriftMonitor(this, 'Drift', {
      endpointName: this.endpointName, captureBucket: this.dataCaptureBucket, captureKey, capturePrefix,
      vpc, subnets, keys, reviewTopic: options.reviewTopic ?? this.alarmTopic, baseline: options.baseline, backend: options.backend,
    });
  }

  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /**
   * A metric of the primary variant (namespace AWS/SageMaker, dimensions EndpointName and VariantName).
   * @default - Average over 5 minutes
   */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metricFor(this.variantName, metricName, props);
  }

  /** A metric of one variant (namespace AWS/SageMaker, dimensions EndpointName and VariantName). */
  public metricFor(variantName: string, metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.variants.some((v) => v.variantName === variantName)) {
      const problems = new ProblemCollector(this.node.path, 'ModelEndpoint');
      problems.add('metricFor(variantName)', variantName, `a variant of this endpoint (${this.variants.map((v) => v.variantName).join(', ')})`,
        'name one of the variants');
      problems.throwIfAny();
    }
    return new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: variantName },
      ...props,
    });
  }

  /** Requests to the primary variant. @default - Sum over 5 minutes */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** 5XX responses of the primary variant (model or platform errors). @default - Sum over 5 minutes */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: 'Sum', ...props });
  }

  /** 4XX responses of the primary variant (bad requests). @default - Sum over 5 minutes */
  public metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', { statistic: 'Sum', ...props });
  }

  /** Time the model container takes to answer, in MICROSECONDS. @default - p99 over 5 minutes */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'p99', ...props });
  }

  /** Time SageMaker adds around the model, in MICROSECONDS. @default - p99 over 5 minutes */
  public metricOverheadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'p99', ...props });
  }

  private createSecurityGroup(vpc: ec2.IVpc, s3PrefixListId: string | undefined): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'ModelSecurityGroup', {
      vpc,
      description: `Model containers of ${this.node.path}: HTTPS out to the VPC endpoints and S3, nothing in`,
      allowAllOutbound: false,
    });
    if (s3PrefixListId !== undefined) {
      sg.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), HTTPS, 'HTTPS to the interface endpoints (ECR, STS, logs, KMS)');
      sg.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), HTTPS, 'HTTPS to S3 (model artifacts) through the gateway endpoint');
    } else {
      sg.addEgressRule(ec2.Peer.anyIpv4(), HTTPS, 'HTTPS to the VPC endpoints and S3; isolated subnets route nowhere else');
    }
    return sg;
  }

  private createDataCapture(props: ModelEndpointProps, keys: IKeyRing, removalPolicy: RemovalPolicy) {
    const options = props.dataCapture ?? {};
    if (options.enabled === false) return undefined;
    const bucket = options.bucket ?? new EncryptedBucket(this, 'DataCapture', {
      keys, purpose: KeyPurpose.DATA, contents: BucketContents.INFERENCE_CAPTURE, auditTrail: props.auditTrail, removalPolicy,
    }).bucket;
    if (options.bucket) props.auditTrail?.addDataEventBucket(bucket);
    const key = (options.encryptionKey ?? bucket.encryptionKey)!;
    const prefix = options.prefix ?? 'data-capture';
    const contentTypes = options.csvContentTypes || options.jsonContentTypes
      ? { csvContentTypes: options.csvContentTypes, jsonContentTypes: options.jsonContentTypes }
      : undefined;
    const config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty = {
      enableCapture: true,
      initialSamplingPercentage: options.samplingPercentage ?? 100,
      destinationS3Uri: `s3://${bucket.bucketName}/${prefix}`,
      kmsKeyId: key.keyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      captureContentTypeHeader: contentTypes,
    };
    // SageMaker writes under <prefix>/<endpoint name>/, so the role is scoped to this endpoint's objects.
    return { bucket, key, objects: bucket.arnForObjects(`${prefix}/${this.endpointName}/*`), config };
  }

  /**
   * The execution role, with its permissions in a customer-managed policy (not an inline one) written statement by
   * statement: no AWS managed policy, each action on the resources it is used on.
   */
  private createExecutionRole(sources: BoundModelSource[], capture: { key: kms.IKey; objects: string } | undefined) {
    const role = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Runs the model containers of ${this.node.path}`,
    });
    const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))];
    const statements = [
      // GetAuthorizationToken has no resource-level permissions.
      new iam.PolicyStatement({ sid: 'EcrAuthorization', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'PullServingImages',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: unique(sources.map((s) => s.repositoryArn)),
      }),
      // Network interfaces in the private subnets: the Describe actions have no resource-level permissions, and
      // SageMaker creates the interfaces with generated ids.
      new iam.PolicyStatement({
        sid: 'ModelNetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
          'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions',
          'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ContainerLogs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.logGroupArn],
      }),
      // Instance metrics (CPU, memory, disk, GPU) go to /aws/sagemaker/Endpoints; PutMetricData has no resource-level
      // permissions, so the namespace condition is the scope.
      new iam.PolicyStatement({
        sid: 'EndpointMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
    ];
    const artifacts = unique(sources.map((s) => s.artifactObjectArn));
    if (artifacts.length > 0) statements.push(new iam.PolicyStatement({ sid: 'ReadModelArtifacts', actions: ['s3:GetObject'], resources: artifacts }));
    const artifactKeys = unique(sources.map((s) => s.artifactKeyArn));
    if (artifactKeys.length > 0) statements.push(new iam.PolicyStatement({ sid: 'DecryptModelArtifacts', actions: ['kms:Decrypt'], resources: artifactKeys }));
    if (capture) {
      statements.push(new iam.PolicyStatement({ sid: 'WriteDataCapture', actions: ['s3:PutObject'], resources: [capture.objects] }));
      statements.push(new iam.PolicyStatement({ sid: 'EncryptDataCapture', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [capture.key.keyArn] }));
    }
    const policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: `What the model containers of ${this.node.path} use`,
      roles: [role],
      statements,
    });
    // KeyRing key policies let only principals carrying the purpose's tag use a key (with their IAM policy's consent).
    if (artifactKeys.length > 0) Tags.of(role).add(keyUserTag(KeyPurpose.MODEL_ARTIFACTS), 'use');
    if (capture) Tags.of(role).add(keyUserTag(KeyPurpose.DATA), 'use');
    this.acknowledgeExecutionPolicy(policy, sources, capture?.objects);
    return { role, policy };
  }

  /** cdk-nag's AwsSolutions-IAM5 findings on the policy, each with why the wildcard is the narrowest scope there is. */
  private acknowledgeExecutionPolicy(policy: iam.ManagedPolicy, sources: BoundModelSource[], captureObjects: string | undefined): void {
    acknowledgeWildcardResources(policy, ['*'],
      'Only actions without resource-level permissions use Resource "*": ecr:GetAuthorizationToken, the ec2 Describe* ' +
        'calls and the network-interface calls SageMaker makes for interfaces it creates with generated ids, and ' +
        'cloudwatch:PutMetricData, limited by a cloudwatch:namespace condition to /aws/sagemaker/*.');
    if (captureObjects !== undefined) {
      acknowledgeWildcardResources(policy, [captureObjects], 'SageMaker writes captured requests and responses under ' +
        '<prefix>/<endpoint>/<variant>/<yyyy/mm/dd/hh>/ with generated object names; the role may only put objects under this endpoint\'s prefix.');
    }
    acknowledgeWildcardResources(policy, sources.filter((s) => s.artifactPattern).map((s) => s.artifactObjectArn!),
      'The approved model version, and so its artifact key, is resolved at deploy time; the role may only read objects ' +
        'of the registry\'s artifact bucket that match artifactKeyPattern.');
  }

  private acknowledgeNvme(): void {
    const types = [...new Set(this.variants.map((v) => v.instanceType))].join(', ');
    const source = this.variants[0].info.storageSource;
    const reason =
      `${types} has local NVMe instance storage, encrypted by a hardware module on the instance (AES-256); SageMaker ` +
      "rejects KmsKeyId (\"You can't request a KmsKeyId when using an instance type with local storage\") and " +
      `VolumeSizeInGB for such types, so the endpoint config sets neither (storage: ${source}). Captured data and ` +
      'model artifacts in S3 stay encrypted with customer-managed keys.';
    for (const pack of NAG_PACKS_WITH_ENDPOINT_KMS) {
      Validations.of(this.endpointConfig).acknowledge({ id: `${pack}-SageMakerEndpointConfigurationKMSKeyConfigured`, reason });
    }
    Annotations.of(this).addWarningV2('regulated-mlops:nvme-volume-key',
      `${types}: no KMS key on the ML volume and no volume size. ${reason}`);
  }

  private createAlarmTopic(key: kms.IKey): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { masterKey: key, enforceSSL: true });
    // CloudWatch publishes alarm state changes; only alarms of this account.
    const fromAlarmsOfThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromAlarmsOfThisAccount,
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsUseKeyForTopics',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromAlarmsOfThisAccount,
    }));
    return topic;
  }

  /** The metric of every variant of the new config, summed (errors) or maxed (latency) when there are several. */
  private fleetMetric(metricName: string, statistic: string, combine: 'SUM' | 'MAX', label: string): cloudwatch.IMetric {
    const metrics = this.variants.map((v) => new cloudwatch.Metric({
      namespace: NAMESPACE,
      metricName,
      statistic,
      period: Duration.minutes(1),
      dimensionsMap: { EndpointName: this.endpointName, VariantName: v.variantName, EndpointConfigName: this.endpointConfigName },
    }));
    if (metrics.length === 1) return metrics[0];
    return new cloudwatch.MathExpression({
      expression: `${combine}([${metrics.map((_, i) => `m${i}`).join(', ')}])`,
      usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
      period: Duration.minutes(1),
      label,
    });
  }

  private createErrorAlarm(threshold: number): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, 'ErrorAlarm', {
      metric: this.fleetMetric('Invocation5XXErrors', 'Sum', 'SUM', '5XX responses of the new fleet'),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No traffic produces no data points, which must not roll a deployment back.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Rolls back a deployment of ${this.node.path}: ${threshold} or more 5XX responses in a minute from the new endpoint config`,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  private createLatencyAlarm(threshold: Duration): cloudwatch.Alarm {
    const micros = threshold.toMilliseconds({ integral: false }) * 1000;
    const alarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
      metric: this.fleetMetric('ModelLatency', 'p99', 'MAX', 'p99 ModelLatency of the new fleet (microseconds)'),
      // ModelLatency is published in microseconds.
      threshold: micros,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Rolls back a deployment of ${this.node.path}: p99 ModelLatency of the new endpoint config above ` +
        `${micros / 1000} ms (${micros} microseconds) in 2 of 3 minutes`,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /** Warns when whole instances make a percentage canary or step a much larger share of the traffic than asked. */
  private warnAboutShares(strategy: DeploymentStrategy): void {
    const size = strategy.size;
    if (size === undefined || size.type !== CapacitySizeType.CAPACITY_PERCENT) return;
    const what = strategy.type === TrafficRoutingType.CANARY ? 'canary' : 'linear step';
    for (const v of this.variants) {
      const effective = effectiveShare(size, v.instanceCount);
      if (effective === undefined) continue;
      Annotations.of(this).addWarningV2('regulated-mlops:canary-share',
        `A ${size} ${what} of ${v.variantName} (${v.instanceCount} instances) is ${effective.instances} whole instance` +
        `${effective.instances === 1 ? '' : 's'}: about ${round(effective.share)}% of the traffic, not ${size} ` +
        '(SageMaker shifts whole instances). ' +
        `${effective.exactCount} instances would give ${size}. Alternative: serve the new model as a second variant ` +
        '(additionalVariants) weighted against the current one (e.g. initialWeight 9 and 1), watched by the same alarms; ' +
        'SageMaker does not roll that back by itself: you shift or remove the variant when an alarm fires.');
    }
  }
}

function capacity(strategy: DeploymentStrategy): sagemaker.CfnEndpoint.CapacitySizeProperty {
  return { type: strategy.size!.type, value: strategy.size!.value };
}

function resolveVariants(props: ModelEndpointProps): ResolvedVariant[] {
  const primary: ResolvedVariant = {
    prop: '',
    variantName: props.variantName ?? 'AllTraffic',
    instanceType: props.instanceType,
    instanceCount: props.instanceCount ?? 2,
    initialWeight: props.initialWeight ?? 1,
    info: instanceTypeInfo(props.instanceType, props.instanceStorage),
    source: props.model,
  };
  const others = (props.additionalVariants ?? []).map((v, i): ResolvedVariant => {
    const instanceType = v.instanceType ?? props.instanceType;
    return {
      prop: `additionalVariants[${i}]`,
      variantName: v.variantName,
      instanceType,
      instanceCount: v.instanceCount ?? 2,
      initialWeight: v.initialWeight ?? 1,
      info: instanceTypeInfo(instanceType, v.instanceStorage ?? (v.instanceType === undefined ? props.instanceStorage : undefined)),
      source: v.model ?? props.model,
    };
  });
  return [primary, ...others];
}

function checkProps(props: ModelEndpointProps, problems: ProblemCollector): void {
  const storage = instanceTypeInfo(props.instanceType, props.instanceStorage).storage;
  if (storage === InstanceStorage.NVME) {
    problems.check(props.volumeEncryptionKey !== undefined, 'volumeEncryptionKey', 'a key', 'no key on an instance type with local NVMe storage',
      `remove volumeEncryptionKey: SageMaker rejects KmsKeyId for ${props.instanceType} (its instance store is encrypted by the instance hardware)`);
    problems.check(props.volumeSize !== undefined, 'volumeSize', props.volumeSize?.toHumanString(), 'no volume size on an instance type with local NVMe storage',
      `remove volumeSize: SageMaker rejects VolumeSizeInGB for ${props.instanceType}, whose instance store size is fixed`);
  } else if (props.volumeSize !== undefined && !props.volumeSize.isUnresolved()) {
    const gib = props.volumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    problems.check(!Number.isInteger(gib) || gib < 1 || gib > 512, 'volumeSize', props.volumeSize.toHumanString(), '1 to 512 GiB, whole GiB',
      'use Size.gibibytes(30) or what the model and its libraries need');
  }

  const name = props.endpointName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    problems.check(!SAGEMAKER_NAME.test(name), 'endpointName', name,
      'at most 63 letters, digits and hyphens, starting and ending with a letter or digit', 'shorten or rename it, or omit it for a generated name');
  }

  const alarms = 2 + (props.rollbackAlarms?.length ?? 0);
  problems.check(alarms > MAX_ROLLBACK_ALARMS, 'rollbackAlarms', `${props.rollbackAlarms?.length} alarms (+ the 5XX and latency alarms = ${alarms})`,
    `at most ${MAX_ROLLBACK_ALARMS - 2} (SageMaker takes ${MAX_ROLLBACK_ALARMS} rollback alarms)`, 'combine alarms into a composite alarm, or drop some');

  const latency = props.latencyThreshold;
  if (latency !== undefined && !latency.isUnresolved()) {
    const ms = latency.toMilliseconds({ integral: false });
    problems.check(!(ms >= 1) || ms > 3_600_000, 'latencyThreshold', latency.toHumanString(), '1 ms to 1 hour', 'use the p99 your users accept, e.g. Duration.millis(500)');
  }
  const errors = props.errorThreshold;
  if (errors !== undefined && !Token.isUnresolved(errors)) {
    problems.check(!Number.isInteger(errors) || errors < 1, 'errorThreshold', errors, 'a whole number of 5XX responses per minute, at least 1', 'use 1');
  }

  const retention = props.logRetention;
  if (retention !== undefined) {
    problems.check(retention === logs.RetentionDays.INFINITE || retention < logs.RetentionDays.ONE_YEAR, 'logRetention',
      retention === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${retention} days`,
      'at least RetentionDays.ONE_YEAR; not INFINITE, which declares no retention', 'use logs.RetentionDays.ONE_YEAR or longer');
  }

  const capture = props.dataCapture;
  if (capture && capture.enabled !== false) {
    const sampling = capture.samplingPercentage;
    if (sampling !== undefined && !Token.isUnresolved(sampling)) {
      problems.check(!Number.isInteger(sampling) || sampling < 0 || sampling > 100, 'dataCapture.samplingPercentage', sampling,
        'a whole percentage from 0 to 100', 'use 100 (every request) or the share your retention budget allows');
    }
    problems.check(capture.bucket !== undefined && capture.encryptionKey === undefined && capture.bucket.encryptionKey === undefined,
      'dataCapture.encryptionKey', undefined, 'a customer-managed key for the captured data (the bucket has none known)',
      'pass encryptionKey: the bucket\'s KMS key, or pass an EncryptedBucket\'s bucket');
    problems.check(capture.bucket === undefined && capture.encryptionKey !== undefined, 'dataCapture.encryptionKey', 'a key without a bucket',
      'encryptionKey only with bucket (a created bucket uses the DATA key of keys)', 'pass keys, or the bucket with its key');
    const prefix = capture.prefix;
    if (prefix !== undefined && !Token.isUnresolved(prefix)) {
      problems.check(!/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/.test(prefix), 'dataCapture.prefix', prefix,
        "an S3 key prefix without leading or trailing '/'", "use e.g. 'data-capture'");
    }
    for (const [prop, types] of [['csvContentTypes', capture.csvContentTypes], ['jsonContentTypes', capture.jsonContentTypes]] as const) {
      problems.check(types !== undefined && (types.length < 1 || types.length > 10), `dataCapture.${prop}`, types, '1 to 10 content types',
        'list the content types your clients send, or omit the prop');
    }
  } else if (capture?.enabled === false) {
    const set = (['bucket', 'encryptionKey', 'prefix', 'samplingPercentage', 'csvContentTypes', 'jsonContentTypes'] as const)
      .filter((k) => capture[k] !== undefined);
    problems.check(set.length > 0, 'dataCapture', `enabled: false with ${set.join(', ')}`, 'capture options only with capture on',
      'remove the options, or turn capture on');
  }

  if (props.network) {
    const sgs = props.network.securityGroups;
    problems.check(sgs !== undefined && (sgs.length < 1 || sgs.length > 5), 'network.securityGroups', `${sgs?.length} security groups`, '1 to 5 security groups',
      'omit securityGroups for a security group with HTTPS egress only');
    problems.check(sgs !== undefined && props.network.s3PrefixListId !== undefined, 'network.s3PrefixListId', props.network.s3PrefixListId,
      's3PrefixListId only for the security group created here', 'allow HTTPS to S3 in your own security groups, or drop securityGroups');
  }
}

/** The subnet count is known only once the selection is applied to the VPC. */
function checkSubnets(path: string, subnetIds: string[]): void {
  const problems = new ProblemCollector(path, 'ModelEndpoint');
  problems.check(subnetIds.length < 1 || subnetIds.length > 16, 'network.subnets', `${subnetIds.length} subnets`, '1 to 16 subnets',
    'select the private subnets of the VPC, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
  problems.throwIfAny();
}
