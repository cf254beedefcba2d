/**
 * What the drift monitor construct and its drift job agree on: environment variables and the metrics published.
 * Kept apart from the handler so the construct can read it without loading the AWS SDK.
 */

/** Environment variables of the drift job function. */
export const DRIFT_JOB_ENV = {
  /**
   * The endpoint whose captured data is analysed. Also the marker by which rule MLOPS-SM-030 recognises a drift
   * job for an endpoint in a rendered template.
   */
  endpointName: 'DRIFT_ENDPOINT_NAME',
  captureBucket: 'DRIFT_CAPTURE_BUCKET',
  /** The key prefix of the endpoint config's DataCaptureConfig.DestinationS3Uri, without slashes at either end ('' for the bucket root). */
  capturePrefix: 'DRIFT_CAPTURE_PREFIX',
  baselineBucket: 'DRIFT_BASELINE_BUCKET',
  baselineKey: 'DRIFT_BASELINE_KEY',
  /** Whole hours of captured data analysed per run: the last complete hours before the run. */
  windowHours: 'DRIFT_WINDOW_HOURS',
  /** Fewer input rows than this in a window publish RecordsEvaluated but no drift values (too few to mean anything). */
  minimumRecords: 'DRIFT_MINIMUM_RECORDS',
} as const;

/** The CloudWatch namespace of drift metrics. */
export const DRIFT_METRIC_NAMESPACE = 'RegulatedMlops/Drift';

/** Metric names. Per feature (dimensions EndpointName, Feature): FeaturePSI, FeatureKL. Per endpoint (EndpointName): the rest. */
export const DRIFT_METRICS = {
  featurePsi: 'FeaturePSI',
  featureKl: 'FeatureKL',
  maxFeaturePsi: 'MaxFeaturePSI',
  maxFeatureKl: 'MaxFeatureKL',
  recordsEvaluated: 'RecordsEvaluated',
} as const;

/** Dimension names. */
export const DRIFT_DIMENSIONS = { endpointName: 'EndpointName', feature: 'Feature' } as const;
