import { Chart, Duration, Testing } from 'cdk8s';
import { DriftMetric } from '../../../constructs/k8s/drift-metric';
import { ModelMonitoring, ModelMonitoringProps } from '../../../constructs/k8s/model-monitoring';
import { ModelServer } from '../../../constructs/k8s/model-server';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const app = Testing.app();
const chart = new Chart(app, 'Monitoring');
const server = new ModelServer(chart, 'Server', { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE, gpus: 1 });
const monitoring = new ModelMonitoring(chart, 'Monitoring', { server });
const other = new ModelServer(chart, 'Other', { namespace: 'credit-risk-scoring-eu-west', model: 'probability-of-default-retail', version: '3', image: IMAGE });
new ModelMonitoring(chart, 'OtherMonitoring', {
  server: other, prometheusRelease: 'prom', maxErrorRatio: 0.02, maxLatencyP99: Duration.seconds(2), maxFeaturePsi: 0.25, driftFor: Duration.hours(1),
  scrapeInterval: Duration.seconds(15), dashboardLabels: { grafana_dashboard: 'models' }, runbookUrl: 'https://runbooks.example/models',
});

const objects = Testing.synth(chart);
const rules = objectOf(objects, 'PrometheusRule', 'fraud-detection');
const alert = (name: string, rule = rules) => rule.spec.groups[0].rules.find((r: any) => r.alert === name);
const byRevision = 'reporter="destination",destination_workload_namespace="fraud",destination_canonical_service="fraud-detection"';
const dashboardOf = (name: string) => {
  const configMap = objectOf(objects, 'ConfigMap', `${name}-dashboard`);
  return { configMap, dashboard: JSON.parse(configMap.data[`${name}.json`]) };
};

describe('ModelMonitoring defaults', () => {
  test('a PodMonitor labelled for the kube-prometheus-stack release scrapes the model\'s merged metrics on 15020', () => {
    const monitor = objectOf(objects, 'PodMonitor', 'fraud-detection');
    expect(monitor.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'fraud-detection', 'release': 'kube-prometheus-stack' });
    expect(monitor.spec).toMatchObject({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detection' } },
      namespaceSelector: { matchNames: ['fraud'] },
      podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '30s' }],
    });
    expect(monitor.spec.podMetricsEndpoints[0].relabelings.map((r: any) => [r.regex, r.replacement])).toEqual([['([^:]+)', '$1:15020'], ['(.+:.+)', '[$1]:15020']]);
  });

  test('the PrometheusRule is labelled for the release selector', () => {
    expect(rules.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(rules.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(['ModelErrorRatioHigh', 'ModelLatencyP99High', 'ModelFeatureDrift', 'ModelDriftMetricAbsent']);
  });

  test('alerts on a version failing more than 1% of requests for 5 minutes', () => {
    expect(alert('ModelErrorRatioHigh')).toMatchObject({
      expr: `sum by (destination_canonical_revision) (rate(istio_requests_total{${byRevision},response_code=~"5.."}[5m])) / sum by (destination_canonical_revision) (rate(istio_requests_total{${byRevision}}[5m])) > 0.01`,
      for: '5m',
      labels: { severity: 'critical', namespace: 'fraud', model: 'fraud-detection' },
    });
  });

  test('alerts on a version\'s p99 latency above 500 ms for 10 minutes', () => {
    expect(alert('ModelLatencyP99High')).toMatchObject({
      expr: `histogram_quantile(0.99, sum by (le, destination_canonical_revision) (rate(istio_request_duration_milliseconds_bucket{${byRevision}}[5m]))) > 500`,
      for: '10m',
    });
  });

  test('alerts on a feature\'s PSI above 0.2 for 30 minutes, from the drift metric contract', () => {
    expect(alert('ModelFeatureDrift')).toMatchObject({
      expr: `max by (model_version, feature) (${DriftMetric.selector('fraud', 'fraud-detection')}) > 0.2`,
      for: '30m',
    });
  });

  test('alerts when the drift metric goes absent', () => {
    expect(alert('ModelDriftMetricAbsent')).toMatchObject({ expr: 'absent_over_time(model_feature_psi{namespace="fraud",model="fraud-detection"}[30m])', for: '5m' });
  });

  test('a dashboard ConfigMap for the Grafana sidecar: requests, errors, latency, GPU utilisation, PSI per feature', () => {
    const { configMap, dashboard } = dashboardOf('fraud-detection');
    expect(configMap.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(dashboard).toMatchObject({ uid: 'fraud-fraud-detection', title: 'Model fraud-detection (fraud)' });
    expect(dashboard.uid).toBe(monitoring.dashboardUid);
    expect(dashboard.panels.map((p: any) => [p.title, p.fieldConfig.defaults.unit])).toEqual([
      ['Requests per second by version', 'reqps'],
      ['Error ratio (5xx) by version', 'percentunit'],
      ['p99 latency by version', 'ms'],
      ['GPU utilisation by pod', 'percent'],
      ['Feature drift (PSI) by feature', 'none'],
    ]);
    expect(dashboard.panels[3].targets[0].expr).toContain('DCGM_FI_DEV_GPU_UTIL{exported_namespace="fraud",exported_pod=~"fraud-detection-.*"}');
    expect(dashboard.panels[4].targets[0]).toMatchObject({ expr: `max by (model_version, feature) (${DriftMetric.selector('fraud', 'fraud-detection')})`, legendFormat: '{{feature}} ({{model_version}})' });
    expect(dashboard.panels[4].fieldConfig.defaults.thresholds.steps[1]).toEqual({ color: 'red', value: 0.2 });
  });
});

describe('ModelMonitoring options', () => {
  test('release label, thresholds, windows, scrape interval, dashboard labels and runbook', () => {
    const custom = objectOf(objects, 'PrometheusRule', 'probability-of-default-retail');
    expect(custom.metadata.labels.release).toBe('prom');
    expect(objectOf(objects, 'PodMonitor', 'probability-of-default-retail').spec.podMetricsEndpoints[0].interval).toBe('15s');
    expect(alert('ModelErrorRatioHigh', custom).expr).toMatch(/ > 0\.02$/);
    expect(alert('ModelLatencyP99High', custom).expr).toMatch(/ > 2000$/);
    expect(alert('ModelFeatureDrift', custom)).toMatchObject({ expr: expect.stringMatching(/ > 0\.25$/), for: '60m' });
    expect(alert('ModelDriftMetricAbsent', custom).expr).toContain('[60m]');
    expect(alert('ModelFeatureDrift', custom).annotations.runbook_url).toBe('https://runbooks.example/models');
    const { configMap, dashboard } = dashboardOf('probability-of-default-retail');
    expect(configMap.metadata.labels.grafana_dashboard).toBe('models');
    expect(dashboard.uid).toMatch(/^credit-risk-scoring-eu-west-pro-[0-9a-f]{8}$/);
  });
});

describe('ModelMonitoring compliance', () => {
  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects.filter((o) => o.metadata.namespace === 'fraud' && ['PodMonitor', 'PrometheusRule', 'ConfigMap'].includes(o.kind))).toMatchSnapshot();
  });
});

describe('ModelMonitoring refuses bad input with the fix', () => {
  test('fails with every problem at once', () => {
    const scope = Testing.chart();
    const target = new ModelServer(scope, 'Server', { namespace: 'fraud', model: 'm', version: '1', image: IMAGE });
    const props: ModelMonitoringProps = {
      server: target, prometheusRelease: 'Kube_Prom', maxErrorRatio: 5, maxLatencyP99: Duration.millis(0), maxFeaturePsi: -1,
      driftFor: Duration.minutes(1), scrapeInterval: Duration.seconds(1),
    };
    const error = errorOf(() => new ModelMonitoring(scope, 'Monitoring', props));
    expect(error.problems.map((p) => p.path.replace('test/Monitoring:', ''))).toEqual([
      'prometheusRelease', 'maxErrorRatio', 'maxLatencyP99', 'maxFeaturePsi', 'driftFor', 'scrapeInterval',
    ]);
    expect(error.message).toContain('maxErrorRatio: received 5; allowed: a share between 0 and 1, exclusive. Fix: e.g. 0.01 for 1%');
  });
});
