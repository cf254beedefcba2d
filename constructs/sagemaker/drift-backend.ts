import { Duration, Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ProblemCollector } from '../../lib/core/errors';
import type { IKeyRing } from '../security/key-ring';
import { LibraryDriftJob, validateLibraryJob } from './drift-library-job';
import { ModelMonitorDrift, validateModelMonitor } from './drift-model-monitor';
import { scheduleHours } from './drift-common';

/** An object in S3: a baseline, a constraints file, an analysis config. */
export interface DriftS3Object {
  /** The bucket (its `encryptionKey`, when known, is granted for decryption). */
  readonly bucket: s3.IBucket;
  /** The object key. */
  readonly key: string;
}

/** A key prefix in S3 (ground truth labels). */
export interface DriftS3Prefix {
  /** The bucket (its `encryptionKey`, when known, is granted for decryption). */
  readonly bucket: s3.IBucket;
  /** The key prefix, without a leading slash. */
  readonly prefix: string;
}

/** The library's own drift job: a scheduled Lambda function over the data-capture bucket. */
export interface LibraryDriftJobOptions {
  /**
   * How often the job runs: whole hours that divide a day (1, 2, 3, 4, 6, 8, 12 or 24), so every run lands in its own
   * alarm period. Runs start 10 minutes past the hour, when SageMaker has written the last hour's capture files.
   * @default Duration.hours(1)
   */
  readonly schedule?: Duration;
  /**
   * How much captured data each run compares with the baseline: the last complete hours before the run, 1 to 168 (a
   * week). A window longer than the schedule smooths the values of low-traffic endpoints.
   * @default - the schedule
   */
  readonly window?: Duration;
  /**
   * The largest per-feature PSI tolerated. The drift alarm fires when the maximum over features exceeds it in 2 of 3
   * consecutive runs. Bands: < 0.1 stable, 0.1 to 0.2 moderate, > 0.2 significant.
   * @default 0.2
   */
  readonly psiThreshold?: number;
  /**
   * The largest per-feature KL(current ‖ baseline), in nats, tolerated; a second alarm fires above it (2 of 3 runs).
   * @default - no KL alarm (KL is still published)
   */
  readonly klThreshold?: number;
  /**
   * Windows with fewer input rows publish RecordsEvaluated but no drift values: PSI over a handful of requests is noise.
   * @default 100
   */
  readonly minimumRecords?: number;
  /**
   * The function's timeout, up to 15 minutes.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * The function's memory, 128 to 10240 MB (CPU grows with it).
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long the function's log events are kept: at least a year (PCI DSS 10.5.1), never `INFINITE`.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The problem a Model Monitor model quality job solves (the metrics it computes follow from it). */
export enum ModelQualityProblemType {
  BINARY_CLASSIFICATION = 'BinaryClassification',
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  REGRESSION = 'Regression',
}

/** Where the model's inputs and outputs are in the captured records (Model Monitor `EndpointInput` attributes). */
export interface MonitorEndpointAttributes {
  /**
   * The features, as a JMESPath expression or column indexes, when the input is JSON or has more than the features.
   * @default - the whole input
   */
  readonly featuresAttribute?: string;
  /**
   * The predicted label or value in the output.
   * @default - none
   */
  readonly inferenceAttribute?: string;
  /**
   * The predicted probability in the output.
   * @default - none
   */
  readonly probabilityAttribute?: string;
  /**
   * The probability above which a binary prediction counts as positive.
   * @default - none
   */
  readonly probabilityThresholdAttribute?: number;
}

/** A Model Monitor model quality job: predictions against ground truth labels. */
export interface ModelQualityMonitorOptions extends MonitorEndpointAttributes {
  readonly problemType: ModelQualityProblemType;
  /** Where the ground truth labels are uploaded (keyed by the captured event ids). */
  readonly groundTruth: DriftS3Prefix;
  /**
   * The constraints of a model quality baselining job.
   * @default - no baseline: metrics are computed but not compared
   */
  readonly constraints?: DriftS3Object;
}

/** A Model Monitor (SageMaker Clarify) bias drift job. */
export interface ModelBiasMonitorOptions extends MonitorEndpointAttributes {
  /** The Clarify analysis configuration (facets, label, thresholds). */
  readonly analysisConfig: DriftS3Object;
  /** Where the ground truth labels are uploaded. */
  readonly groundTruth: DriftS3Prefix;
  /**
   * The constraints of a bias baselining job.
   * @default - no baseline
   */
  readonly constraints?: DriftS3Object;
}

/** A Model Monitor (SageMaker Clarify) feature attribution drift job. */
export interface ModelExplainabilityMonitorOptions extends MonitorEndpointAttributes {
  /** The Clarify analysis configuration (SHAP baseline, features). */
  readonly analysisConfig: DriftS3Object;
  /**
   * The constraints of an explainability baselining job.
   * @default - no baseline
   */
  readonly constraints?: DriftS3Object;
}

/**
 * SageMaker Model Monitor schedules, for accounts that are existing Model Monitor customers (the service is closed to
 * new ones). Data quality is always monitored; model quality, bias and explainability when their options are given.
 */
export interface ModelMonitorDriftOptions {
  /**
   * The Model Monitor analyzer image of the region (`<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-model-monitor-analyzer`),
   * for data and model quality. No lookup is made: pass the URI for your region.
   */
  readonly imageUri: string;
  /**
   * The SageMaker Clarify image of the region, for bias and explainability jobs. Required with `modelBias` or
   * `modelExplainability`.
   * @default - none
   */
  readonly clarifyImageUri?: string;
  /** The `constraints.json` and `statistics.json` of a data quality baselining job. */
  readonly dataQualityBaseline: { readonly constraints: DriftS3Object; readonly statistics: DriftS3Object };
  /**
   * Features whose `feature_baseline_drift_<feature>` metric gets an alarm (at least one).
   */
  readonly alarmFeatures: string[];
  /**
   * The baseline drift distance (0 to 1) above which a feature's alarm fires.
   * @default 0.1
   */
  readonly driftThreshold?: number;
  /** Model quality monitoring. @default - none */
  readonly modelQuality?: ModelQualityMonitorOptions;
  /** Bias drift monitoring. @default - none */
  readonly modelBias?: ModelBiasMonitorOptions;
  /** Feature attribution drift monitoring. @default - none */
  readonly modelExplainability?: ModelExplainabilityMonitorOptions;
  /**
   * How often the schedules run: whole hours that divide a day (1, 2, 3, 4, 6, 8, 12 or 24); Model Monitor runs at most
   * hourly.
   * @default Duration.hours(1)
   */
  readonly schedule?: Duration;
  /**
   * Instance type of the monitoring jobs.
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;
  /**
   * Instances per monitoring job, 1 to 100.
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * The processing volume of each instance, 1 to 16384 GiB, encrypted with the DATA key.
   * @default Size.gibibytes(20)
   */
  readonly volumeSize?: Size;
  /**
   * The longest a monitoring job may run, at most the schedule and 24 hours.
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;
  /**
   * Where reports (statistics, violations) are written, under `model-monitor/<endpoint>/<type>/`.
   * @default - an `EncryptedBucket` created here with the DATA key
   */
  readonly reportBucket?: s3.IBucket;
}

/** What a backend receives from its `DriftMonitor` (the monitor's props, with its defaults applied). */
export interface DriftBackendContext {
  /** The monitored endpoint's name. */
  readonly endpointName: string;
  /** The data-capture bucket. */
  readonly captureBucket: s3.IBucket;
  /** The key of captured objects, when given (else the bucket's). */
  readonly captureKey?: kms.IKey;
  /** The capture key prefix without slashes at either end ('' for the bucket root). */
  readonly capturePrefix: string;
  /** The library job's baseline document. */
  readonly baseline?: DriftS3Object;
  /** Where alarms notify. */
  readonly reviewTopic: sns.ITopic;
  /** The network of the jobs. */
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
  /** LOGS and DATA keys. */
  readonly keys: IKeyRing;
}

/** What a backend created. */
export interface DriftBackendResources {
  /** Every alarm, each notifying the review topic. */
  readonly alarms: cloudwatch.Alarm[];
  /** The drift job function (library job only). */
  readonly function?: lambda.Function;
  /** The Model Monitor schedules (Model Monitor only). */
  readonly monitoringSchedules: sagemaker.CfnMonitoringSchedule[];
  /** How often the backend runs: the period of its metrics and alarms. */
  readonly period: Duration;
}

/**
 * How a `DriftMonitor` measures drift: the library's own scheduled job (`libraryJob`, works in every account) or
 * SageMaker Model Monitor schedules (`modelMonitor`, only for existing Model Monitor customers).
 */
export abstract class DriftBackend {
  /** The library's drift job: PSI and KL per feature against a baseline, CloudWatch metrics and alarms. */
  public static libraryJob(options: LibraryDriftJobOptions = {}): DriftBackend {
    return new LibraryJobBackend(options);
  }

  /** SageMaker Model Monitor schedules (data quality, and model quality, bias, explainability when configured). */
  public static modelMonitor(options: ModelMonitorDriftOptions): DriftBackend {
    return new ModelMonitorBackend(options);
  }

  /** Whether the backend compares against `DriftMonitorProps.baseline`. */
  public abstract readonly usesBaseline: boolean;

  /** @internal Records every problem of the options under `backend.<option>`. */
  public abstract _validate(problems: ProblemCollector): void;

  /** @internal Creates the backend's resources under `scope`. */
  public abstract _bind(scope: Construct, context: DriftBackendContext): DriftBackendResources;
}

class LibraryJobBackend extends DriftBackend {
  public readonly usesBaseline = true;

  constructor(private readonly options: LibraryDriftJobOptions) {
    super();
  }

  public _validate(problems: ProblemCollector): void {
    validateLibraryJob(this.options, problems);
  }

  public _bind(scope: Construct, context: DriftBackendContext): DriftBackendResources {
    const job = new LibraryDriftJob(scope, 'Job', { ...this.options, context });
    return { alarms: job.alarms, function: job.function, monitoringSchedules: [], period: Duration.hours(scheduleHours(this.options.schedule)) };
  }
}

class ModelMonitorBackend extends DriftBackend {
  public readonly usesBaseline = false;

  constructor(private readonly options: ModelMonitorDriftOptions) {
    super();
  }

  public _validate(problems: ProblemCollector): void {
    validateModelMonitor(this.options, problems);
  }

  public _bind(scope: Construct, context: DriftBackendContext): DriftBackendResources {
    const monitor = new ModelMonitorDrift(scope, 'ModelMonitor', { ...this.options, context });
    return { alarms: monitor.alarms, monitoringSchedules: monitor.schedules, period: Duration.hours(scheduleHours(this.options.schedule)) };
  }
}
