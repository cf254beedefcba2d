import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';
import { NODE_SCHEDULING } from '../node-scheduling';
import { PodSecurityLevel } from '../pod-security-level';
import { AddonChartOptions, GPU_TOLERATIONS, mergeValues, pinnedChartOptions } from './chart-values';
import type { KubePrometheusStack } from './kube-prometheus-stack';
import { PINNED_CHARTS } from './versions';

/** The namespace of the DCGM exporter, which holds nothing else. */
export const GPU_MONITORING_NAMESPACE = 'gpu-monitoring';

/** Properties of a `DcgmExporter`. */
export interface DcgmExporterProps extends AddonChartOptions {
  /**
   * The Prometheus that scrapes GPU metrics: the exporter gets a ServiceMonitor with its release label, installed
   * after the chart that defines the ServiceMonitor CRD.
   * @default - no ServiceMonitor: scrape the exporter's Service another way
   */
  readonly prometheus?: KubePrometheusStack;
}

/**
 * NVIDIA's DCGM exporter: GPU utilisation, memory, temperature, power and XID errors as Prometheus metrics, on every
 * GPU node (tolerating the GPU taint). It needs the host's GPU devices and the kubelet pod-resources socket, so it
 * runs alone in a privileged namespace.
 */
export class DcgmExporter implements IClusterAddon {
  private boundChart?: eks.HelmChart;

  /** The chart, once bound. */
  public get chart(): eks.HelmChart | undefined {
    return this.boundChart;
  }

  constructor(private readonly props: DcgmExporterProps = {}) {}

  public bind(cluster: IServingCluster): void {
    const prometheus = this.props.prometheus;
    if (prometheus) cluster.addAddon(prometheus);
    const namespace = cluster.addNamespace('GpuMonitoringNamespace', {
      name: GPU_MONITORING_NAMESPACE,
      podSecurity: PodSecurityLevel.PRIVILEGED,
      reason: 'the DCGM exporter reads GPU counters through the host\'s NVIDIA devices and maps them to pods through the kubelet pod-resources socket (hostPath); nothing else runs in this namespace',
      openNetworkReason: 'Prometheus scrapes the exporter on every GPU node; the flow is not described by a NetworkPolicy here yet',
    });
    this.boundChart = cluster.addHelmChart('DcgmExporter', pinnedChartOptions(PINNED_CHARTS.dcgmExporter, this.props, GPU_MONITORING_NAMESPACE, 'dcgm-exporter', mergeValues(this.props.values, {
      nodeSelector: { [NODE_SCHEDULING.roleLabel]: 'gpu' },
      tolerations: GPU_TOLERATIONS,
      serviceMonitor: prometheus ? { enabled: true, additionalLabels: { release: prometheus.releaseName } } : { enabled: false },
    })));
    this.boundChart.node.addDependency(namespace);
    if (prometheus?.chart) this.boundChart.node.addDependency(prometheus.chart);
  }
}
