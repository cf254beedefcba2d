import { Chart, Duration, Testing } from 'cdk8s';
import { CanaryRelease } from '../../../constructs/k8s/canary-release';
import { DriftMetric } from '../../../constructs/k8s/drift-metric';
import { ModelAnalysisTemplate, ModelAnalysisTemplateProps, NoData } from '../../../constructs/k8s/model-analysis-template';
import { ModelServer, ServerWorkload } from '../../../constructs/k8s/model-server';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const app = Testing.app();
const chart = new Chart(app, 'Analysis');
const server = new ModelServer(chart, 'Server', { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE, workload: ServerWorkload.ROLLOUT });
const analysis = new ModelAnalysisTemplate(chart, 'Default', { server });
new CanaryRelease(chart, 'Canary', { server, analysisTemplates: [analysis] });
const other = new ModelServer(chart, 'Other', { namespace: 'churn', model: 'churn', version: 'v7', image: IMAGE, workload: ServerWorkload.ROLLOUT });
new CanaryRelease(chart, 'OtherCanary', {
  server: other,
  analysis: {
    prometheusAddress: 'https://prometheus.example.internal', maxErrorRatio: 0.005, maxLatencyP99: Duration.millis(1500), maxFeaturePsi: 0.25,
    failureLimit: 0, interval: Duration.seconds(90), count: 12, window: Duration.minutes(10), psiWindow: Duration.hours(1), noDataIs: NoData.SUCCESS,
  },
});

const objects = Testing.synth(chart);
const template = objectOf(objects, 'AnalysisTemplate', 'fraud-detection-analysis');
const metric = (t: any, name: string) => t.spec.metrics.find((m: any) => m.name === name);
const canaryTraffic = 'reporter="destination",destination_workload_namespace="fraud",destination_canonical_service="fraud-detection",destination_canonical_revision="{{args.version}}"';

describe('ModelAnalysisTemplate defaults', () => {
  test('takes the version to analyse as an argument, and the Rollout passes its own', () => {
    expect(template.spec.args).toEqual([{ name: 'version' }]);
    expect(analysis.argumentsFor(server)).toEqual([{ name: 'version', value: '2.1.0' }]);
  });

  test('error ratio of the canary version: 5xx over all requests, at most 1%, no data fails', () => {
    expect(metric(template, 'error-ratio')).toEqual({
      name: 'error-ratio', interval: '2m', initialDelay: '5m', count: 5, failureLimit: 1,
      successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.01',
      provider: {
        prometheus: {
          address: 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
          query: `sum (rate(istio_requests_total{${canaryTraffic},response_code=~"5.."}[5m])) / sum (rate(istio_requests_total{${canaryTraffic}}[5m]))`,
        },
      },
    });
  });

  test('p99 latency of the canary version, at most 500 ms', () => {
    expect(metric(template, 'latency-p99')).toMatchObject({
      successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] <= 500',
      provider: { prometheus: { query: `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${canaryTraffic}}[5m])))` } },
    });
  });

  test('highest feature PSI of the canary version over 30 minutes, from the drift metric contract, at most 0.2', () => {
    const psi = metric(template, 'feature-psi');
    expect(psi.provider.prometheus.query).toBe('max(max_over_time(model_feature_psi{namespace="fraud",model="fraud-detection",model_version="{{args.version}}"}[30m]))');
    expect(psi.provider.prometheus.query).toContain(DriftMetric.selector('fraud', 'fraud-detection', '{{args.version}}'));
    expect(psi.successCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] <= 0.2');
  });

  test('keeps every measurement of every metric in the AnalysisRun', () => {
    expect(template.spec.measurementRetention).toEqual(['error-ratio', 'latency-p99', 'feature-psi'].map((metricName) => ({ metricName, limit: 5 })));
  });
});

describe('ModelAnalysisTemplate options (through CanaryRelease.analysis)', () => {
  const custom = objectOf(objects, 'AnalysisTemplate', 'churn-analysis');

  test('thresholds, cadence, windows and address reach every metric', () => {
    expect(metric(custom, 'error-ratio')).toMatchObject({ interval: '90s', initialDelay: '10m', count: 12, failureLimit: 0, provider: { prometheus: { address: 'https://prometheus.example.internal' } } });
    expect(metric(custom, 'latency-p99').successCondition).toContain('result[0] <= 1500');
    expect(metric(custom, 'feature-psi').provider.prometheus.query).toContain('[60m]');
  });

  test('NoData.SUCCESS lets an empty or NaN result pass', () => {
    expect(metric(custom, 'feature-psi').successCondition).toBe('len(result) == 0 || isNaN(result[0]) || result[0] <= 0.25');
    expect(metric(custom, 'error-ratio').successCondition).toBe('len(result) == 0 || isNaN(result[0]) || result[0] <= 0.005');
  });
});

describe('ModelAnalysisTemplate compliance', () => {
  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(template).toMatchSnapshot();
  });
});

describe('ModelAnalysisTemplate refuses bad input with the fix', () => {
  const build = (props: Partial<ModelAnalysisTemplateProps>) => {
    const scope = Testing.chart();
    const target = new ModelServer(scope, 'Server', { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE });
    return errorOf(() => new ModelAnalysisTemplate(scope, 'Analysis', { server: target, ...props }));
  };

  test('fails if failureLimit is not below count (the analysis could never fail)', () => {
    const error = build({ count: 3, failureLimit: 3 });
    expect(error.message).toContain('test/Analysis:failureLimit: received 3; allowed: a whole number from 0 to 2');
    expect(error.message).toContain('Fix: tolerate fewer failed measurements than the count');
  });

  test('fails with every problem at once', () => {
    const error = build({
      templateName: 'Strict_Gate', prometheusAddress: 'prometheus:9090', maxErrorRatio: 1, maxLatencyP99: Duration.millis(0), maxFeaturePsi: 0, count: 0,
      interval: Duration.seconds(10), window: Duration.seconds(30), psiWindow: Duration.minutes(1),
    });
    expect(error.problems.map((p) => p.path.replace('test/Analysis:', ''))).toEqual([
      'templateName', 'prometheusAddress', 'maxErrorRatio', 'maxLatencyP99', 'maxFeaturePsi', 'count', 'failureLimit', 'interval', 'window', 'psiWindow',
    ]);
  });
});
