import { categoricalBaselineFeature, compareFeature, numericBaselineFeature } from '../../../lib/drift/baseline';
import { categoricalSamples, normalSamples, seededRandom } from '../../../lib/drift/random';
import { createHandler, hourFolder, readConfig } from '../../../constructs/sagemaker/drift-job-handler';
import { DRIFT_JOB_ENV } from '../../../constructs/sagemaker/drift-job-handler/contract';
import { CloudWatchLoopback } from '../../support/cloudwatch-loopback';
import { S3Loopback } from '../../support/s3-loopback';

const NOW = new Date('2026-11-26T10:10:00Z');
const ENV = {
  [DRIFT_JOB_ENV.endpointName]: 'credit-risk',
  [DRIFT_JOB_ENV.captureBucket]: 'capture',
  [DRIFT_JOB_ENV.capturePrefix]: 'data-capture',
  [DRIFT_JOB_ENV.baselineBucket]: 'artifacts',
  [DRIFT_JOB_ENV.baselineKey]: 'baselines/credit-risk.json',
  [DRIFT_JOB_ENV.windowHours]: '2',
  [DRIFT_JOB_ENV.minimumRecords]: '100',
};

const income = numericBaselineFeature('income', normalSamples(seededRandom(1), 20000, 50, 10));
const age = numericBaselineFeature('age', normalSamples(seededRandom(2), 20000, 40, 12));
const channel = categoricalBaselineFeature('channel', categoricalSamples(seededRandom(3), 20000, ['web', 'branch', 'phone'], [6, 3, 1]));
const BASELINE = JSON.stringify({ features: [income, age, channel] });

/** One captured request as SageMaker writes it. */
function captureLine(data: string, encoding: 'CSV' | 'JSON' | 'BASE64', contentType = 'text/csv'): string {
  return JSON.stringify({
    captureData: {
      endpointInput: { observedContentType: contentType, mode: 'INPUT', data, encoding },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.42', encoding: 'CSV' },
    },
    eventMetadata: { eventId: 'e', inferenceTime: '2026-11-26T09:00:00Z' },
    eventVersion: '0',
  });
}

/** CSV rows (income, age, channel) drawn from the given income mean and the baseline's age and channel mixes. */
function csvCapture(seed: number, n: number, incomeMean: number): string {
  const random = seededRandom(seed);
  const incomes = normalSamples(random, n, incomeMean, 10);
  const ages = normalSamples(random, n, 40, 12);
  const channels = categoricalSamples(random, n, ['web', 'branch', 'phone'], [6, 3, 1]);
  return incomes.map((x, i) => captureLine(`${x.toFixed(3)},${ages[i].toFixed(2)},${channels[i]}`, 'CSV')).join('\n') + '\n';
}

const key = (variant: string, hour: string, file: string) => `data-capture/credit-risk/${variant}/2026/11/26/${hour}/${file}`;

describe('drift job handler (real SDK clients against loopback S3 and CloudWatch)', () => {
  let s3: S3Loopback;
  let cw: CloudWatchLoopback;
  beforeAll(async () => {
    s3 = await S3Loopback.start({ pageSize: 2 });
    cw = await CloudWatchLoopback.start();
    s3.put('artifacts', 'baselines/credit-risk.json', BASELINE);
    // Incomes shifted by one standard deviation in the window (08:00 to 10:00): 1200 rows over two variants and hours.
    s3.put('capture', key('AllTraffic', '08', 'a.jsonl'), csvCapture(10, 300, 60));
    s3.put('capture', key('AllTraffic', '09', 'b.jsonl'), csvCapture(11, 300, 60));
    s3.put('capture', key('AllTraffic', '09', 'c.jsonl'), csvCapture(12, 300, 60));
    s3.put('capture', key('Canary', '09', 'd.jsonl'), csvCapture(13, 300, 60));
    // Outside the window: the current, incomplete hour and the hour before the window. Not .jsonl: ignored.
    s3.put('capture', key('AllTraffic', '10', 'late.jsonl'), csvCapture(14, 500, 90));
    s3.put('capture', key('AllTraffic', '07', 'early.jsonl'), csvCapture(15, 500, 90));
    s3.put('capture', key('AllTraffic', '09', 'notes.txt'), 'not captured data');
  });
  afterAll(async () => {
    await s3.close();
    await cw.close();
  });
  let warn: jest.SpyInstance;
  beforeEach(() => {
    cw.calls.length = 0;
    cw.failWith = undefined;
    // The job logs skipped lines and short windows as warnings; tests assert them instead of printing them.
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());
  const run = (env: Record<string, string> = ENV) => createHandler({ s3: s3.client(), cloudwatch: cw.client(), now: () => NOW, env })();

  it('reads every variant for the whole hours of the window, and nothing else', async () => {
    const result = await run();
    expect(result).toMatchObject({
      endpointName: 'credit-risk', windowStart: '2026-11-26T08:00:00.000Z', windowEnd: '2026-11-26T10:00:00.000Z',
      objectsRead: 4, recordsEvaluated: 1200, linesSkipped: 0,
    });
    const read = s3.requests.filter((r) => r.key?.startsWith('data-capture/')).map((r) => r.key);
    expect(read.sort()).toEqual([key('AllTraffic', '08', 'a.jsonl'), key('AllTraffic', '09', 'b.jsonl'), key('AllTraffic', '09', 'c.jsonl'), key('Canary', '09', 'd.jsonl')]);
  });

  it('finds the shifted feature and only that one', async () => {
    const result = await run();
    const byName = Object.fromEntries(result.features.map((f) => [f.name, f]));
    expect(byName.income.psi).toBeGreaterThan(0.2);
    expect(byName.age.psi).toBeLessThan(0.1);
    expect(byName.channel.psi).toBeLessThan(0.1);
    expect(result.maxFeaturePsi).toBe(byName.income.psi);
    expect(result.maxFeatureKl).toBe(Math.max(...result.features.map((f) => f.kl!)));
  });

  it('computes the same values as the drift maths on the same rows', async () => {
    const result = await run();
    const incomes = [10, 11, 12, 13].flatMap((seed) => normalSamples(seededRandom(seed), 300, 60, 10).map((x) => x.toFixed(3)));
    const expected = compareFeature(income, incomes);
    expect(result.features[0].psi).toBeCloseTo(expected.psi!, 12);
    expect(result.features[0].kl).toBeCloseTo(expected.kl!, 12);
  });

  it('publishes PSI and KL per feature, their maxima and the rows evaluated in RegulatedMlops/Drift', async () => {
    const result = await run();
    expect(cw.calls).toHaveLength(1);
    expect(cw.calls[0].namespace).toBe('RegulatedMlops/Drift');
    expect(cw.calls[0].headers['x-amz-target']).toBe('GraniteServiceVersion20100801.PutMetricData');
    const endpoint = { Name: 'EndpointName', Value: 'credit-risk' };
    const data = cw.metricData;
    expect(data).toContainEqual({ MetricName: 'RecordsEvaluated', Dimensions: [endpoint], Value: 1200, Unit: 'Count', Timestamp: NOW.getTime() / 1000 });
    expect(data).toContainEqual(expect.objectContaining({ MetricName: 'MaxFeaturePSI', Dimensions: [endpoint], Value: result.maxFeaturePsi }));
    expect(data).toContainEqual(expect.objectContaining({ MetricName: 'MaxFeatureKL', Dimensions: [endpoint], Value: result.maxFeatureKl }));
    for (const f of result.features) {
      const dims = [endpoint, { Name: 'Feature', Value: f.name }];
      expect(data).toContainEqual(expect.objectContaining({ MetricName: 'FeaturePSI', Dimensions: dims, Value: f.psi }));
      expect(data).toContainEqual(expect.objectContaining({ MetricName: 'FeatureKL', Dimensions: dims, Value: f.kl }));
    }
    expect(data).toHaveLength(3 + 2 * 3);
  });

  it('publishes RecordsEvaluated but no drift values for a window below the minimum rows', async () => {
    const result = await run({ ...ENV, [DRIFT_JOB_ENV.minimumRecords]: '5000' });
    expect(result.maxFeaturePsi).toBeUndefined();
    expect(result.features.every((f) => f.psi === undefined && f.count === 1200)).toBe(true);
    expect(cw.metricData.map((d) => d.MetricName)).toEqual(['RecordsEvaluated']);
    expect(warn).toHaveBeenCalledWith('1200 rows in the window, fewer than the minimum of 5000: no drift values published');
  });

  it('publishes 0 rows for a window without captured data (the silence alarm then fires)', async () => {
    const result = await run({ ...ENV, [DRIFT_JOB_ENV.endpointName]: 'idle-endpoint' });
    expect(result).toMatchObject({ objectsRead: 0, recordsEvaluated: 0 });
    expect(cw.metricData).toEqual([expect.objectContaining({ MetricName: 'RecordsEvaluated', Value: 0 })]);
  });

  it('reads JSON, base64 and instances payloads and skips lines it cannot read', async () => {
    const lines = [
      captureLine(JSON.stringify({ income: 52, age: 41, channel: 'web' }), 'JSON', 'application/json'),
      captureLine(Buffer.from('49.5,38,branch\n51,44,web').toString('base64'), 'BASE64', 'text/csv'),
      captureLine(Buffer.from(JSON.stringify({ instances: [{ features: [50, 39, 'phone'] }, [47, 52, 'web']] })).toString('base64'), 'BASE64', 'application/json'),
      captureLine('AAAA', 'BASE64', 'application/x-image'),
      '{not json',
      JSON.stringify({ eventMetadata: {} }),
    ];
    s3.put('capture', 'data-capture/json-endpoint/AllTraffic/2026/11/26/09/x.jsonl', lines.join('\n'));
    const result = await run({ ...ENV, [DRIFT_JOB_ENV.endpointName]: 'json-endpoint', [DRIFT_JOB_ENV.minimumRecords]: '0' });
    expect(result).toMatchObject({ recordsEvaluated: 5, linesSkipped: 3 });
    expect(result.features.map((f) => [f.name, f.count])).toEqual([['income', 5], ['age', 5], ['channel', 5]]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(
      /^Skipped lines of s3:\/\/capture\/data-capture\/json-endpoint\/.*line 4: base64 input of content type 'application\/x-image' is neither CSV nor JSON/,
    ));
  });

  it('splits metrics over several calls above 500 values, gzip-compressed as the client does for large bodies', async () => {
    const wide = Array.from({ length: 300 }, (_, i) => numericBaselineFeature(`f${i}`, normalSamples(seededRandom(i), 200)));
    s3.put('artifacts', 'baselines/wide.json', JSON.stringify({ features: wide }));
    const row = wide.map(() => '0.1').join(',');
    s3.put('capture', 'data-capture/wide/AllTraffic/2026/11/26/09/w.jsonl', Array.from({ length: 3 }, () => captureLine(row, 'CSV')).join('\n'));
    await run({ ...ENV, [DRIFT_JOB_ENV.endpointName]: 'wide', [DRIFT_JOB_ENV.baselineKey]: 'baselines/wide.json', [DRIFT_JOB_ENV.minimumRecords]: '1' });
    expect(cw.calls.map((c) => c.metricData.length)).toEqual([500, 103]);
    expect(cw.calls[0].headers['content-encoding']).toBe('gzip');
  });

  it('fails when CloudWatch refuses the metrics, with the service error', async () => {
    cw.failWith = { status: 400, type: 'InvalidParameterValueException', queryCode: 'InvalidParameterValue', message: 'The value for parameter MetricData is invalid' };
    await expect(run()).rejects.toMatchObject({
      name: 'InvalidParameterValueException', message: 'The value for parameter MetricData is invalid', $metadata: { httpStatusCode: 400 },
    });
  });

  it('fails on a missing baseline object', async () => {
    await expect(run({ ...ENV, [DRIFT_JOB_ENV.baselineKey]: 'baselines/missing.json' })).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('fails on an invalid baseline document, saying what is wrong', async () => {
    s3.put('artifacts', 'baselines/bad.json', JSON.stringify({ features: [{ name: 'x', type: 'numeric', edges: [1], proportions: [1] }] }));
    await expect(run({ ...ENV, [DRIFT_JOB_ENV.baselineKey]: 'baselines/bad.json' })).rejects.toThrow(/needs 2 proportions/);
  });
});

describe('drift job configuration', () => {
  it('reads the environment and trims slashes from the prefix', () => {
    expect(readConfig({ ...ENV, [DRIFT_JOB_ENV.capturePrefix]: '/data-capture/' })).toEqual({
      endpointName: 'credit-risk', captureBucket: 'capture', capturePrefix: 'data-capture', baselineBucket: 'artifacts',
      baselineKey: 'baselines/credit-risk.json', windowHours: 2, minimumRecords: 100,
    });
  });

  it('accepts an empty prefix (capture at the bucket root)', () => {
    expect(readConfig({ ...ENV, [DRIFT_JOB_ENV.capturePrefix]: '' }).capturePrefix).toBe('');
  });

  it('fails with every missing or malformed variable named', () => {
    expect(() => readConfig({ [DRIFT_JOB_ENV.windowHours]: '1.5' })).toThrow(
      /DRIFT_ENDPOINT_NAME is not set; DRIFT_CAPTURE_BUCKET is not set; DRIFT_CAPTURE_PREFIX is not set; DRIFT_BASELINE_BUCKET is not set; DRIFT_BASELINE_KEY is not set; DRIFT_WINDOW_HOURS must be a whole number >= 1 \(got "1.5"\); DRIFT_MINIMUM_RECORDS/,
    );
  });

  it('names hour folders in UTC as SageMaker does', () => {
    expect(hourFolder(new Date('2026-01-02T03:59:59Z'))).toBe('2026/01/02/03/');
  });
});
