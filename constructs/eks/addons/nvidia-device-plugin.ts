import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';
import { NODE_SCHEDULING } from '../node-scheduling';
import { PodSecurityLevel } from '../pod-security-level';
import { AddonChartOptions, GPU_TOLERATIONS, mergeValues, pinnedChartOptions } from './chart-values';
import { PINNED_CHARTS } from './versions';

/**
 * The NVIDIA device plugin, which advertises `nvidia.com/gpu` on GPU nodes so pods can request GPUs. Needed on
 * Amazon Linux 2023 NVIDIA nodes (Bottlerocket NVIDIA AMIs include it): the serving cluster binds one itself when a
 * GPU node group runs AL2023. Runs on GPU nodes only, tolerating their taint, alone in a privileged namespace (it
 * registers with the kubelet through a hostPath socket).
 */
export class NvidiaDevicePlugin implements IClusterAddon {
  private boundChart?: eks.HelmChart;

  /** The chart, once bound. */
  public get chart(): eks.HelmChart | undefined {
    return this.boundChart;
  }

  constructor(private readonly props: AddonChartOptions = {}) {}

  public bind(cluster: IServingCluster): void {
    const namespace = cluster.addNamespace('NvidiaDevicePluginNamespace', {
      name: 'nvidia-device-plugin',
      podSecurity: PodSecurityLevel.PRIVILEGED,
      reason: 'the NVIDIA device plugin registers GPUs with the kubelet through the host\'s device-plugin socket (hostPath) and reads the GPU devices; nothing else runs in this namespace',
    });
    this.boundChart = cluster.addHelmChart('NvidiaDevicePlugin', pinnedChartOptions(PINNED_CHARTS.nvidiaDevicePlugin, this.props, 'nvidia-device-plugin', 'nvidia-device-plugin', mergeValues(this.props.values, {
      nodeSelector: { [NODE_SCHEDULING.roleLabel]: 'gpu' },
      tolerations: GPU_TOLERATIONS,
    })));
    this.boundChart.node.addDependency(namespace);
  }
}
