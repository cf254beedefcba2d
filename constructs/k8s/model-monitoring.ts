import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { DriftMetric } from './drift-metric';
import type { ModelServer } from './model-server';
import { errorRatio, latencyP99Ms, MERGED_METRICS_PORT, ModelTraffic, promDuration, requestRate, REVISION_LABEL } from './private/prometheus';
import { checkDnsLabel, checkMinDuration } from './private/validation';

/** Monitoring settings (shared with `ModelServingChart`). */
export interface ModelMonitoringOptions {
  /**
   * The Helm release name of kube-prometheus-stack: its Prometheus selects only PodMonitors and
   * PrometheusRules labelled `release: <name>`.
   * @default 'kube-prometheus-stack'
   */
  readonly prometheusRelease?: string;
  /**
   * The 5xx share of a version's requests above which `ModelErrorRatioHigh` fires (after 5 minutes).
   * @default 0.01
   */
  readonly maxErrorRatio?: number;
  /**
   * The p99 request duration above which `ModelLatencyP99High` fires (after 10 minutes).
   * @default Duration.millis(500)
   */
  readonly maxLatencyP99?: Duration;
  /**
   * The PSI above which `ModelFeatureDrift` fires for a feature.
   * @default 0.2
   */
  readonly maxFeaturePsi?: number;
  /**
   * How long PSI must stay above `maxFeaturePsi`, and how long the drift gauge may be absent, before alerting.
   * @default Duration.minutes(30)
   */
  readonly driftFor?: Duration;
  /**
   * How often Prometheus scrapes the pods.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Labels of the dashboard ConfigMap, for the Grafana sidecar to load it.
   * @default { grafana_dashboard: '1' } (the kube-prometheus-stack sidecar's default label)
   */
  readonly dashboardLabels?: { [key: string]: string };
  /**
   * A runbook URL added to every alert.
   * @default - none
   */
  readonly runbookUrl?: string;
}

/** Properties of a `ModelMonitoring`. */
export interface ModelMonitoringProps extends ModelMonitoringOptions {
  /** The model server to monitor. */
  readonly server: ModelServer;
}

/** The alert names. */
const MODEL_ALERTS = {
  errorRatio: 'ModelErrorRatioHigh',
  latencyP99: 'ModelLatencyP99High',
  featureDrift: 'ModelFeatureDrift',
  driftMetricAbsent: 'ModelDriftMetricAbsent',
} as const;

/** The Istio sidecar's declared metrics port, which Prometheus discovers the pod by. */
const SIDECAR_METRICS_PORT_NAME = 'http-envoy-prom';
const RATE_WINDOW = '5m';

/**
 * Prometheus scraping, alerts and a Grafana dashboard for one model.
 *
 * Under the hood: a PodMonitor `<model>` (labelled `release: <prometheusRelease>`) selecting the model's pods and
 * scraping Istio's merged endpoint (`:15020/stats/prometheus`: the application's metrics, including the
 * `DriftMetric` gauge, and Envoy's), which stays reachable under STRICT mTLS; a PrometheusRule `<model>` with
 * `ModelErrorRatioHigh` (5xx share per version above `maxErrorRatio` for 5 minutes, critical),
 * `ModelLatencyP99High` (p99 above `maxLatencyP99` for 10 minutes), `ModelFeatureDrift` (a feature's PSI above
 * `maxFeaturePsi` for `driftFor`) and `ModelDriftMetricAbsent` (no drift gauge for `driftFor`); and a ConfigMap
 * `<model>-dashboard` holding a Grafana dashboard (requests, errors, p99 latency per version, GPU utilisation per
 * pod from the NVIDIA DCGM exporter, PSI per feature).
 */
export class ModelMonitoring extends Construct {
  /** The dashboard's Grafana uid. */
  public readonly dashboardUid: string;

  constructor(scope: Construct, id: string, props: ModelMonitoringProps) {
    super(scope, id);
    const { server } = props;
    const s = settingsOf(this.node.path, props);
    const release = { release: s.prometheusRelease };
    const traffic: ModelTraffic = { namespace: server.namespace, model: server.model };

    new ApiObject(this, 'PodMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: server.model, namespace: server.namespace, labels: { ...server.selectorLabels, ...release } },
      spec: {
        selector: { matchLabels: server.selectorLabels },
        namespaceSelector: { matchNames: [server.namespace] },
        podMetricsEndpoints: [{
          // The target is found through the sidecar's declared port, then pointed at the merged endpoint, which
          // no container declares.
          port: SIDECAR_METRICS_PORT_NAME,
          path: '/stats/prometheus',
          interval: promDuration(s.scrapeInterval),
          relabelings: [
            { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '([^:]+)', targetLabel: '__address__', replacement: `$1:${MERGED_METRICS_PORT}` },
            { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_ip'], regex: '(.+:.+)', targetLabel: '__address__', replacement: `[$1]:${MERGED_METRICS_PORT}` },
          ],
        }],
      },
    });

    const drift = DriftMetric.selector(server.namespace, server.model);
    const window = promDuration(s.driftFor);
    const labels = (severity: string) => ({ severity, namespace: server.namespace, model: server.model });
    const annotations = (summary: string, description: string) => ({
      summary, description, ...(s.runbookUrl ? { runbook_url: s.runbookUrl } : {}),
    });
    new ApiObject(this, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: server.model, namespace: server.namespace, labels: { ...server.selectorLabels, ...release } },
      spec: {
        groups: [{
          name: `${server.namespace}.${server.model}`,
          rules: [
            {
              alert: MODEL_ALERTS.errorRatio,
              expr: `${errorRatio(traffic, RATE_WINDOW, [REVISION_LABEL])} > ${s.maxErrorRatio}`,
              for: '5m',
              labels: labels('critical'),
              annotations: annotations(`${server.model} version {{ $labels.${REVISION_LABEL} }} fails more than ${s.maxErrorRatio * 100}% of requests`,
                `5xx share {{ $value | humanizePercentage }} over ${RATE_WINDOW}.`),
            },
            {
              alert: MODEL_ALERTS.latencyP99,
              expr: `${latencyP99Ms(traffic, RATE_WINDOW, [REVISION_LABEL])} > ${s.maxLatencyP99Ms}`,
              for: '10m',
              labels: labels('warning'),
              annotations: annotations(`${server.model} version {{ $labels.${REVISION_LABEL} }} p99 latency above ${s.maxLatencyP99Ms} ms`,
                'p99 {{ $value }} ms over 5m.'),
            },
            {
              alert: MODEL_ALERTS.featureDrift,
              expr: `max by (${DriftMetric.VERSION_LABEL}, ${DriftMetric.FEATURE_LABEL}) (${drift}) > ${s.maxFeaturePsi}`,
              for: window,
              labels: labels('warning'),
              annotations: annotations(`${server.model} feature {{ $labels.${DriftMetric.FEATURE_LABEL} }} drifted (PSI above ${s.maxFeaturePsi})`,
                `PSI {{ $value }} for version {{ $labels.${DriftMetric.VERSION_LABEL} }} for ${window}: review the model's fitness for the current population.`),
            },
            {
              alert: MODEL_ALERTS.driftMetricAbsent,
              expr: `absent_over_time(${drift}[${window}])`,
              for: '5m',
              labels: labels('warning'),
              annotations: annotations(`${server.model} exports no ${DriftMetric.NAME}`,
                `No drift gauge for ${window}: drift is not monitored, and canary analysis treats the missing data as configured.`),
            },
          ],
        }],
      },
    });

    this.dashboardUid = dashboardUid(server.namespace, server.model);
    const dashboard = buildDashboard(this.dashboardUid, server, traffic, s);
    new kplus.ConfigMap(this, 'Dashboard', {
      metadata: { name: `${server.model}-dashboard`, namespace: server.namespace, labels: { ...server.selectorLabels, ...s.dashboardLabels } },
      data: { [`${server.model}.json`]: JSON.stringify(dashboard, null, 2) },
    });
  }
}

interface Settings {
  readonly prometheusRelease: string;
  readonly maxErrorRatio: number;
  readonly maxLatencyP99Ms: number;
  readonly maxFeaturePsi: number;
  readonly driftFor: Duration;
  readonly scrapeInterval: Duration;
  readonly dashboardLabels: { readonly [key: string]: string };
  readonly runbookUrl?: string;
}

function settingsOf(path: string, props: ModelMonitoringProps): Settings {
  const s: Settings = {
    prometheusRelease: props.prometheusRelease ?? 'kube-prometheus-stack',
    maxErrorRatio: props.maxErrorRatio ?? 0.01,
    maxLatencyP99Ms: (props.maxLatencyP99 ?? Duration.millis(500)).toMilliseconds({ integral: false }),
    maxFeaturePsi: props.maxFeaturePsi ?? 0.2,
    driftFor: props.driftFor ?? Duration.minutes(30),
    scrapeInterval: props.scrapeInterval ?? Duration.seconds(30),
    dashboardLabels: props.dashboardLabels ?? { grafana_dashboard: '1' },
    runbookUrl: props.runbookUrl,
  };
  const problems = new ProblemCollector(path, 'ModelMonitoring');
  checkDnsLabel(problems, 'prometheusRelease', s.prometheusRelease, 53, ' (a Helm release name)');
  problems.check(!(s.maxErrorRatio > 0 && s.maxErrorRatio < 1), 'maxErrorRatio', s.maxErrorRatio, 'a share between 0 and 1, exclusive', 'e.g. 0.01 for 1%');
  problems.check(!(s.maxLatencyP99Ms > 0), 'maxLatencyP99', `${s.maxLatencyP99Ms} ms`, 'a positive duration', 'e.g. Duration.millis(500)');
  problems.check(!(s.maxFeaturePsi > 0 && s.maxFeaturePsi <= 10), 'maxFeaturePsi', s.maxFeaturePsi, 'a PSI above 0 and at most 10', 'use 0.2 (significant shift)');
  checkMinDuration(problems, 'driftFor', s.driftFor, 300, 'at least 5 minutes', 'use Duration.minutes(30): PSI is noisy over short windows');
  const scrape = s.scrapeInterval.toSeconds({ integral: false });
  problems.check(scrape < 5 || scrape > 300, 'scrapeInterval', `${scrape} seconds`, '5 seconds to 5 minutes', 'use Duration.seconds(30)');
  problems.throwIfAny();
  return s;
}

/** A Grafana uid (at most 40 characters) that stays the same across synths. */
function dashboardUid(namespace: string, model: string): string {
  const uid = `${namespace}-${model}`;
  return uid.length <= 40 ? uid : `${uid.slice(0, 31)}-${createHash('sha256').update(uid).digest('hex').slice(0, 8)}`;
}

function buildDashboard(uid: string, server: ModelServer, traffic: ModelTraffic, s: Settings): Record<string, any> {
  const revision = `{{${REVISION_LABEL}}}`;
  const pods = `${server.model}-.*`;
  // dcgm-exporter labels series with the GPU's pod as exported_pod, or as pod when scraped with honorLabels.
  const gpu = `avg by (exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="${server.namespace}",exported_pod=~"${pods}"})`
    + ` or avg by (pod) (DCGM_FI_DEV_GPU_UTIL{namespace="${server.namespace}",pod=~"${pods}"})`;
  const panels = [
    { title: 'Requests per second by version', expr: requestRate(traffic, RATE_WINDOW, [REVISION_LABEL]), legend: revision, unit: 'reqps' },
    { title: 'Error ratio (5xx) by version', expr: errorRatio(traffic, RATE_WINDOW, [REVISION_LABEL]), legend: revision, unit: 'percentunit', threshold: s.maxErrorRatio },
    { title: 'p99 latency by version', expr: latencyP99Ms(traffic, RATE_WINDOW, [REVISION_LABEL]), legend: revision, unit: 'ms', threshold: s.maxLatencyP99Ms },
    { title: 'GPU utilisation by pod', expr: gpu, legend: '{{exported_pod}}{{pod}}', unit: 'percent' },
    {
      title: 'Feature drift (PSI) by feature',
      expr: `max by (${DriftMetric.VERSION_LABEL}, ${DriftMetric.FEATURE_LABEL}) (${DriftMetric.selector(server.namespace, server.model)})`,
      legend: `{{${DriftMetric.FEATURE_LABEL}}} ({{${DriftMetric.VERSION_LABEL}}})`, unit: 'none', threshold: s.maxFeaturePsi,
    },
  ];
  return {
    uid,
    title: `Model ${server.model} (${server.namespace})`,
    tags: ['regulated-mlops', 'model-serving'],
    editable: false,
    schemaVersion: 39,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      targets: [{ refId: 'A', expr: p.expr, legendFormat: p.legend }],
      fieldConfig: {
        defaults: {
          unit: p.unit,
          ...(p.threshold !== undefined ? {
            thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: p.threshold }] },
            custom: { thresholdsStyle: { mode: 'line' } },
          } : {}),
        },
        overrides: [],
      },
    })),
  };
}
