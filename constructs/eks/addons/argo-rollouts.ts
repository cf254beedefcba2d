import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';
import { PodSecurityLevel } from '../pod-security-level';
import { AddonChartOptions, mergeValues, pinnedChartOptions, RESTRICTED_CONTAINER } from './chart-values';
import { PINNED_CHARTS } from './versions';

/** The namespace of the Argo Rollouts controller. */
export const ARGO_ROLLOUTS_NAMESPACE = 'argo-rollouts';

/**
 * The Argo Rollouts controller (with its CRDs: Rollout, AnalysisTemplate, AnalysisRun, Experiment), two replicas
 * with leader election, no dashboard, in a namespace that enforces the restricted Pod Security Standard.
 */
export class ArgoRollouts implements IClusterAddon {
  private boundChart?: eks.HelmChart;

  /** The chart, once bound: Rollouts and AnalysisTemplates depend on it (its CRDs). */
  public get chart(): eks.HelmChart | undefined {
    return this.boundChart;
  }

  constructor(private readonly props: AddonChartOptions = {}) {}

  public bind(cluster: IServingCluster): void {
    const namespace = cluster.addNamespace('ArgoRolloutsNamespace', {
      name: ARGO_ROLLOUTS_NAMESPACE, podSecurity: PodSecurityLevel.RESTRICTED,
      openNetworkReason: 'the controller calls the API server and Prometheus (canary analysis) and is scraped for its metrics; these flows are not described by NetworkPolicies here yet',
    });
    this.boundChart = cluster.addHelmChart('ArgoRollouts', pinnedChartOptions(PINNED_CHARTS.argoRollouts, this.props, ARGO_ROLLOUTS_NAMESPACE, 'argo-rollouts', mergeValues(this.props.values, {
      installCRDs: true,
      dashboard: { enabled: false },
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      controller: { replicas: 2, containerSecurityContext: RESTRICTED_CONTAINER },
    })));
    this.boundChart.node.addDependency(namespace);
  }
}
