import { Duration } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { IClusterAddon, IServingCluster } from '../cluster-addon';
import { PodSecurityLevel } from '../pod-security-level';
import { AddonChartOptions, mergeValues, pinnedChartOptions } from './chart-values';
import { PINNED_CHARTS } from './versions';

/** Properties of an `IstioMesh`. */
export interface IstioMeshProps extends AddonChartOptions {
  /**
   * Install an ingress gateway (namespace `istio-ingress`) behind an internal Network Load Balancer.
   * @default false - no gateway: traffic enters through whatever the platform puts in front of the services
   */
  readonly ingressGateway?: boolean;
  /**
   * Registry of the Istio images (`global.hub` of the cni, istiod and gateway charts), for a mirror.
   * @default - the charts' own (docker.io/istio)
   */
  readonly imageHub?: string;
}

/** The Istio root namespace: mesh-wide policy lives there. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/**
 * Istio in sidecar mode: base (CRDs), the CNI node agent (so workload pods need no NET_ADMIN/NET_RAW init container
 * and their namespaces can enforce `restricted`), istiod with `outboundTrafficPolicy: REGISTRY_ONLY` (egress only to
 * hosts declared by ServiceEntry) and Prometheus metrics merging, and a mesh-wide STRICT mTLS PeerAuthentication.
 *
 * Namespaces: `istio-system` enforces baseline (istiod), `istio-cni` is privileged for the CNI node agent alone
 * (it writes the CNI configuration on each host), `istio-ingress` (with a gateway) enforces baseline.
 */
export class IstioMesh implements IClusterAddon {
  private boundIstiod?: eks.HelmChart;

  /** The istiod chart, once bound: workloads that need the mesh (sidecar injection) depend on it. */
  public get istiod(): eks.HelmChart | undefined {
    return this.boundIstiod;
  }

  constructor(private readonly props: IstioMeshProps = {}) {}

  public bind(cluster: IServingCluster): void {
    const props = this.props;
    const hub = props.imageHub ? { global: { hub: props.imageHub } } : {};
    const root = cluster.addNamespace('IstioSystemNamespace', {
      name: ISTIO_ROOT_NAMESPACE,
      podSecurity: PodSecurityLevel.BASELINE,
      reason: 'istiod and the mesh root policy; the Istio charts do not declare the restricted profile for every pod, so the namespace enforces baseline and warns and audits against restricted',
      openNetworkReason: 'istiod serves configuration and certificates to the sidecars of every meshed namespace and its webhooks are called by the API server; a policy here would have to list every namespace of the mesh (not written yet)',
    });
    const cniNamespace = cluster.addNamespace('IstioCniNamespace', {
      name: 'istio-cni',
      podSecurity: PodSecurityLevel.PRIVILEGED,
      reason: 'the Istio CNI node agent is a privileged DaemonSet that writes the CNI configuration and sets up pod traffic redirection on each host; nothing else runs in this namespace',
      openNetworkReason: 'the Istio CNI node agent runs in the host network namespace, where NetworkPolicies do not apply',
    });

    const base = cluster.addHelmChart('IstioBase', pinnedChartOptions(PINNED_CHARTS.istioBase, props, ISTIO_ROOT_NAMESPACE, 'istio-base', {}));
    base.node.addDependency(root);
    const cni = cluster.addHelmChart('IstioCni', pinnedChartOptions(PINNED_CHARTS.istioCni, props, 'istio-cni', 'istio-cni', mergeValues(hub, {})));
    cni.node.addDependency(cniNamespace, base);

    // Waits for istiod: its validation and injection webhooks must answer before mesh objects and workloads arrive.
    const istiod = cluster.addHelmChart('Istiod', {
      ...pinnedChartOptions(PINNED_CHARTS.istiod, props, ISTIO_ROOT_NAMESPACE, 'istiod', mergeValues(mergeValues(props.values, hub), {
        pilot: { cni: { enabled: true } },
        meshConfig: {
          // Egress only to the registry (services and ServiceEntry hosts): an allow-list, not ALLOW_ANY.
          outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
          // Sidecars serve app and Envoy metrics merged on :15020, which Prometheus outside the mesh can scrape.
          enablePrometheusMerge: true,
          accessLogFile: '/dev/stdout',
        },
      })),
      wait: true,
      timeout: Duration.minutes(10),
    });
    istiod.node.addDependency(root, base, cni);
    this.boundIstiod = istiod;

    // STRICT mTLS for the whole mesh: sidecars refuse plaintext. Needs the CRDs of the base chart.
    const mtls = cluster.addManifest('IstioStrictMtls', {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: ISTIO_ROOT_NAMESPACE },
      spec: { mtls: { mode: 'STRICT' } },
    });
    mtls.node.addDependency(istiod);

    if (props.ingressGateway) {
      const ingress = cluster.addNamespace('IstioIngressNamespace', {
        name: 'istio-ingress',
        podSecurity: PodSecurityLevel.BASELINE,
        reason: 'the Istio ingress gateway chart does not declare the restricted profile for its pods; the namespace enforces baseline and warns and audits against restricted',
        openNetworkReason: 'the gateway takes traffic from the internal load balancer and forwards it to the meshed services; what it may reach is governed by the models\' AuthorizationPolicies',
      });
      const gateway = cluster.addHelmChart('IstioIngressGateway', pinnedChartOptions(PINNED_CHARTS.istioGateway, props, 'istio-ingress', 'istio-ingress', mergeValues(hub, {
        service: {
          type: 'LoadBalancer',
          // Internal only: the cluster serves from private subnets and takes no traffic from the internet.
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
            'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
          },
        },
      })));
      gateway.node.addDependency(ingress, istiod);
    }
  }
}
