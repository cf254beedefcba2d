import { CloudWatchClient, MetricDatum, PutMetricDataCommand, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { compareFeature, FeatureDrift, parseBaseline } from '../../../lib/drift/baseline';
import { captureFileRows } from './capture';
import { DRIFT_DIMENSIONS, DRIFT_JOB_ENV, DRIFT_METRIC_NAMESPACE, DRIFT_METRICS } from './contract';

/** What the job needs from outside: SDK clients, a clock and its configuration (injected in tests). */
export interface DriftJobDependencies {
  readonly s3: S3Client;
  readonly cloudwatch: CloudWatchClient;
  /** @default - the system clock */
  readonly now?: () => Date;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The configuration the construct passes through the environment (see `contract.ts`). */
export interface DriftJobConfig {
  readonly endpointName: string;
  readonly captureBucket: string;
  readonly capturePrefix: string;
  readonly baselineBucket: string;
  readonly baselineKey: string;
  readonly windowHours: number;
  readonly minimumRecords: number;
}

/** What one run found (also the Lambda result, visible in the job's log). */
export interface DriftJobResult {
  readonly endpointName: string;
  /** Start (inclusive) and end (exclusive) of the analysed window, ISO 8601. */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly objectsRead: number;
  readonly recordsEvaluated: number;
  readonly linesSkipped: number;
  /** Per feature; without psi/kl when the window had fewer rows than the minimum. */
  readonly features: FeatureDrift[];
  readonly maxFeaturePsi?: number;
  readonly maxFeatureKl?: number;
}

const HOUR_MS = 3600_000;
/** PutMetricData accepts up to 1000 values per call; stay well below it and below the 1 MB payload limit. */
const METRICS_PER_CALL = 500;

/**
 * The drift job: reads the last `windowHours` complete hours of captured input of one endpoint (every variant),
 * bins each feature on the baseline's bins, computes PSI and KL(current ‖ baseline) per feature, and publishes
 * them with their maxima and the number of rows evaluated to CloudWatch (namespace `RegulatedMlops/Drift`).
 */
export function createHandler(deps: DriftJobDependencies): (event?: unknown) => Promise<DriftJobResult> {
  return async () => {
    const config = readConfig(deps.env ?? process.env);
    const now = (deps.now ?? (() => new Date()))();
    const baseline = parseBaseline(JSON.parse(await readText(deps.s3, config.baselineBucket, config.baselineKey)));
    const names = baseline.features.map((f) => f.name);

    const windowEnd = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
    const windowStart = windowEnd - config.windowHours * HOUR_MS;
    const keys = await captureObjectKeys(deps.s3, config, windowStart, windowEnd);

    const columns: unknown[][] = names.map(() => []);
    let records = 0;
    let skipped = 0;
    for (const key of keys) {
      const file = captureFileRows(await readText(deps.s3, config.captureBucket, key), names);
      for (const row of file.rows) names.forEach((_, i) => columns[i].push(row[i]));
      records += file.rows.length;
      skipped += file.skipped;
      if (file.problems.length > 0) console.warn(`Skipped lines of s3://${config.captureBucket}/${key}: ${file.problems.join('; ')}`);
    }

    const enough = records >= config.minimumRecords && records > 0;
    const features = baseline.features.map((feature, i) => {
      const drift = compareFeature(feature, columns[i]);
      return enough ? drift : { name: drift.name, count: drift.count, missing: drift.missing };
    });
    const maxOf = (pick: (f: FeatureDrift) => number | undefined) => {
      const values = features.map(pick).filter((v): v is number => v !== undefined);
      return values.length > 0 ? Math.max(...values) : undefined;
    };
    const result: DriftJobResult = {
      endpointName: config.endpointName,
      windowStart: new Date(windowStart).toISOString(),
      windowEnd: new Date(windowEnd).toISOString(),
      objectsRead: keys.length,
      recordsEvaluated: records,
      linesSkipped: skipped,
      features,
      maxFeaturePsi: maxOf((f) => f.psi),
      maxFeatureKl: maxOf((f) => f.kl),
    };
    if (!enough) {
      console.warn(`${records} rows in the window, fewer than the minimum of ${config.minimumRecords}: no drift values published`);
    }
    await publish(deps.cloudwatch, result, now);
    return result;
  };
}

let defaultHandler: ((event?: unknown) => Promise<DriftJobResult>) | undefined;

/** The Lambda entry point, with the runtime's SDK clients (created on first use). */
export const handler = (event?: unknown): Promise<DriftJobResult> => {
  defaultHandler ??= createHandler({ s3: new S3Client({}), cloudwatch: new CloudWatchClient({}) });
  return defaultHandler(event);
};

/** Reads and checks the environment; throws one error naming every missing or malformed variable. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): DriftJobConfig {
  const problems: string[] = [];
  const text = (name: string, allowEmpty = false): string => {
    const value = env[name];
    if (value === undefined || (!allowEmpty && value === '')) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const whole = (name: string, min: number): number => {
    const value = Number(env[name]);
    if (!Number.isInteger(value) || value < min) problems.push(`${name} must be a whole number >= ${min} (got ${JSON.stringify(env[name])})`);
    return value;
  };
  const config: DriftJobConfig = {
    endpointName: text(DRIFT_JOB_ENV.endpointName),
    captureBucket: text(DRIFT_JOB_ENV.captureBucket),
    capturePrefix: text(DRIFT_JOB_ENV.capturePrefix, true).replace(/^\/+|\/+$/g, ''),
    baselineBucket: text(DRIFT_JOB_ENV.baselineBucket),
    baselineKey: text(DRIFT_JOB_ENV.baselineKey),
    windowHours: whole(DRIFT_JOB_ENV.windowHours, 1),
    minimumRecords: whole(DRIFT_JOB_ENV.minimumRecords, 0),
  };
  if (problems.length > 0) throw new Error(`The drift job is misconfigured: ${problems.join('; ')}`);
  return config;
}

/**
 * Keys of the capture files of every variant for each hour of [start, end): the variants are the "folders" below
 * `<prefix>/<endpoint>/`, and each hour is one `yyyy/mm/dd/hh/` folder below a variant (UTC, as SageMaker writes them).
 */
async function captureObjectKeys(s3: S3Client, config: DriftJobConfig, start: number, end: number): Promise<string[]> {
  const endpointPrefix = `${config.capturePrefix ? `${config.capturePrefix}/` : ''}${config.endpointName}/`;
  const variants = (await list(s3, config.captureBucket, endpointPrefix, '/')).prefixes;
  const keys: string[] = [];
  for (const variant of variants) {
    for (let hour = start; hour < end; hour += HOUR_MS) {
      const { keys: found } = await list(s3, config.captureBucket, `${variant}${hourFolder(new Date(hour))}`);
      keys.push(...found.filter((k) => k.endsWith('.jsonl')));
    }
  }
  return keys;
}

/** `yyyy/mm/dd/hh/` of an instant, in UTC. */
export function hourFolder(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}/${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${two(date.getUTCHours())}/`;
}

async function list(s3: S3Client, bucket: string, prefix: string, delimiter?: string): Promise<{ keys: string[]; prefixes: string[] }> {
  const keys: string[] = [];
  const prefixes: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) prefixes.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, prefixes };
}

async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!object.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return object.Body.transformToString('utf-8');
}

async function publish(cloudwatch: CloudWatchClient, result: DriftJobResult, now: Date): Promise<void> {
  const endpoint = { Name: DRIFT_DIMENSIONS.endpointName, Value: result.endpointName };
  const datum = (name: string, value: number, feature?: string): MetricDatum => ({
    MetricName: name,
    Dimensions: feature === undefined ? [endpoint] : [endpoint, { Name: DRIFT_DIMENSIONS.feature, Value: feature }],
    Value: value,
    Unit: name === DRIFT_METRICS.recordsEvaluated ? StandardUnit.Count : StandardUnit.None,
    Timestamp: now,
  });
  const data: MetricDatum[] = [datum(DRIFT_METRICS.recordsEvaluated, result.recordsEvaluated)];
  for (const f of result.features) {
    if (f.psi !== undefined) data.push(datum(DRIFT_METRICS.featurePsi, f.psi, f.name));
    if (f.kl !== undefined) data.push(datum(DRIFT_METRICS.featureKl, f.kl, f.name));
  }
  if (result.maxFeaturePsi !== undefined) data.push(datum(DRIFT_METRICS.maxFeaturePsi, result.maxFeaturePsi));
  if (result.maxFeatureKl !== undefined) data.push(datum(DRIFT_METRICS.maxFeatureKl, result.maxFeatureKl));
  for (let i = 0; i < data.length; i += METRICS_PER_CALL) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: DRIFT_METRIC_NAMESPACE, MetricData: data.slice(i, i + METRICS_PER_CALL) }));
  }
}
