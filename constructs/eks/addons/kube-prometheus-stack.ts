import { Size } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { ProblemCollector } from '../../../lib/core/errors';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';
import { PodSecurityLevel } from '../pod-security-level';
import { AddonChartOptions, mergeValues, pinnedChartOptions } from './chart-values';
import { EbsCsiDriver } from './ebs-csi-driver';
import { PINNED_CHARTS } from './versions';

/** The Helm release name: ServiceMonitors and PrometheusRules need the label `release: <this>` to be picked up. */
export const PROMETHEUS_RELEASE = 'kube-prometheus-stack';
/** The namespace of Prometheus, Alertmanager, Grafana and the operator. */
export const MONITORING_NAMESPACE = 'monitoring';

/** Properties of a `KubePrometheusStack`. */
export interface KubePrometheusStackProps extends AddonChartOptions {
  /**
   * How long Prometheus keeps samples, a Prometheus duration (`30d`, `12w`, `1y`).
   * @default '30d'
   */
  readonly retention?: string;
  /**
   * Size of Prometheus's volume.
   * @default Size.gibibytes(100)
   */
  readonly storageSize?: Size;
  /**
   * The EBS CSI driver whose encrypted StorageClass holds the Prometheus and Alertmanager volumes.
   * @default - a new EbsCsiDriver, bound to the cluster
   */
  readonly ebsCsiDriver?: EbsCsiDriver;
  /**
   * Secret in the monitoring namespace holding Grafana's admin credentials (keys `admin-user`, `admin-password`),
   * created from your secret store before Grafana starts. The chart's default password is never used.
   * @default 'grafana-admin'
   */
  readonly grafanaAdminSecret?: string;
  /**
   * Also scrape every pod annotated `prometheus.io/scrape: "true"` (the Istio documentation's job: with metrics
   * merging the sidecar points the annotations at its :15020 endpoint). Off by default: workloads with their own
   * PodMonitor or ServiceMonitor (ModelMonitoring writes one per model) would be scraped twice, doubling every
   * counter summed across jobs.
   * @default false - Prometheus scrapes what PodMonitors and ServiceMonitors labelled `release: kube-prometheus-stack` select
   */
  readonly scrapeAnnotatedPods?: boolean;
}

const RETENTION = /^\d+(ms|s|m|h|d|w|y)$/;

/**
 * kube-prometheus-stack: the Prometheus Operator, Prometheus (retention, volume from the encrypted StorageClass),
 * Alertmanager (encrypted volume), Grafana (admin credentials from a Secret, no anonymous access) and node exporter.
 * PodMonitors, ServiceMonitors and PrometheusRules are picked up when labelled `release: kube-prometheus-stack`
 * (PROMETHEUS_RELEASE). Under STRICT mTLS Prometheus (outside the mesh) scrapes a meshed pod through Istio's merged
 * metrics endpoint, `:15020/stats/prometheus`, which IstioMesh turns on: point the PodMonitor there (ModelMonitoring
 * does), or set `scrapeAnnotatedPods`.
 *
 * Namespaces: `monitoring` enforces baseline (the chart's pods are not all declared restricted); node exporter runs
 * alone in `monitoring-node-exporter`, privileged, because it reads the host's network, processes and filesystems.
 */
export class KubePrometheusStack implements IClusterAddon {
  /** The release name (the `release` label ServiceMonitors need). */
  public readonly releaseName = PROMETHEUS_RELEASE;
  private boundChart?: eks.HelmChart;

  /** The chart, once bound: objects using the monitoring.coreos.com CRDs depend on it. */
  public get chart(): eks.HelmChart | undefined {
    return this.boundChart;
  }

  constructor(private readonly props: KubePrometheusStackProps = {}) {}

  public bind(cluster: IServingCluster): void {
    const props = this.props;
    const problems = new ProblemCollector(`${cluster.node.path}/KubePrometheusStack`, 'KubePrometheusStack');
    const retention = props.retention ?? '30d';
    problems.check(!RETENTION.test(retention), 'retention', retention, 'a Prometheus duration such as 30d, 12w or 1y', "use '30d'");
    problems.throwIfAny();

    const storage = props.ebsCsiDriver ?? new EbsCsiDriver();
    cluster.addAddon(storage);
    const namespace = cluster.addNamespace('MonitoringNamespace', {
      name: MONITORING_NAMESPACE,
      podSecurity: PodSecurityLevel.BASELINE,
      reason: 'Prometheus, Alertmanager, Grafana and the operator need no host access, but the chart does not declare the restricted profile for every pod (admission webhook jobs, Grafana sidecars); the namespace enforces baseline and warns and audits against restricted',
      openNetworkReason: 'Prometheus scrapes every namespace, the operator\'s admission webhook is called by the API server and operators reach Grafana and Alertmanager; these flows are not described by NetworkPolicies here yet',
    });
    const nodeExporterNamespace = cluster.addNamespace('NodeExporterNamespace', {
      name: 'monitoring-node-exporter',
      podSecurity: PodSecurityLevel.PRIVILEGED,
      reason: 'node exporter reads host metrics through hostNetwork, hostPID and hostPath mounts of /proc, /sys and /; nothing else runs in this namespace',
      openNetworkReason: 'node exporter runs in the host network namespace (hostNetwork), where NetworkPolicies do not apply',
    });
    const volume = (size: Size) => ({
      volumeClaimTemplate: {
        spec: { storageClassName: storage.storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${size.toGibibytes()}Gi` } } },
      },
    });

    this.boundChart = cluster.addHelmChart('KubePrometheusStack', pinnedChartOptions(PINNED_CHARTS.kubePrometheusStack, props, MONITORING_NAMESPACE, PROMETHEUS_RELEASE, mergeValues(props.values, {
      prometheus: {
        prometheusSpec: {
          retention,
          storageSpec: volume(props.storageSize ?? Size.gibibytes(100)),
          ...(props.scrapeAnnotatedPods ? { additionalScrapeConfigs: [ISTIO_MERGED_METRICS] } : {}),
        },
      },
      alertmanager: { alertmanagerSpec: { storage: volume(Size.gibibytes(10)) } },
      grafana: {
        admin: { existingSecret: props.grafanaAdminSecret ?? 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
        'grafana.ini': { 'auth.anonymous': { enabled: false }, analytics: { check_for_updates: false, reporting_enabled: false } },
      },
      'prometheus-node-exporter': { namespaceOverride: 'monitoring-node-exporter' },
    })));
    this.boundChart.node.addDependency(namespace, nodeExporterNamespace, storage.storageClass!);
  }
}

/**
 * Scrapes pods annotated `prometheus.io/scrape: "true"` at their `prometheus.io/port` and `prometheus.io/path`.
 * With Istio metrics merging the sidecar rewrites those annotations to its own :15020/stats/prometheus endpoint,
 * served outside mTLS, so Prometheus (outside the mesh) gets application and Envoy metrics of STRICT-mTLS pods.
 */
const ISTIO_MERGED_METRICS = {
  job_name: 'kubernetes-pods-istio-merged',
  kubernetes_sd_configs: [{ role: 'pod' }],
  relabel_configs: [
    { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
    { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', target_label: '__metrics_path__', regex: '(.+)' },
    {
      source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
      action: 'replace', regex: '([^:]+)(?::\\d+)?;(\\d+)', replacement: '$1:$2', target_label: '__address__',
    },
    { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
    { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
  ],
};
