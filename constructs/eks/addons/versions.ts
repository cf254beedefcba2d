/** A Helm chart pinned to one exact version. */
export interface PinnedChart {
  /** The chart name in its repository. */
  readonly chart: string;
  /** The repository URL: an HTTPS Helm repository, or `oci://...` (an ECR mirror: the kubectl role must be allowed to pull). */
  readonly repository: string;
  /** The exact chart version (never a range: an upgrade is a reviewed change of this file). */
  readonly version: string;
}

const ISTIO_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';
/** Istio charts move together: base, istiod, cni and gateway of one release. */
const ISTIO_VERSION = '1.29.2';

/**
 * Every Helm chart the cluster add-ons install, pinned. Versions come from the projects' release listings (Istio
 * 1.29.2 of 2026-04; kube-prometheus-stack 85.1.3 of 2026-05; argo-rollouts chart 2.43.1; NVIDIA device plugin
 * 0.18.2; DCGM exporter 4.8.3, the last release before 4.9.0 renamed its metrics and Helm values) and have not been
 * installed on a live cluster by this library's tests: confirm them on a test cluster before production and bump
 * them here, together, as reviewed changes. Mirror them (`repository: 'oci://<account>.dkr.ecr.<region>.amazonaws.com/<path>'`)
 * for clusters without internet egress.
 */
export const PINNED_CHARTS = Object.freeze({
  istioBase: { chart: 'base', repository: ISTIO_REPOSITORY, version: ISTIO_VERSION } as PinnedChart,
  istiod: { chart: 'istiod', repository: ISTIO_REPOSITORY, version: ISTIO_VERSION } as PinnedChart,
  istioCni: { chart: 'cni', repository: ISTIO_REPOSITORY, version: ISTIO_VERSION } as PinnedChart,
  istioGateway: { chart: 'gateway', repository: ISTIO_REPOSITORY, version: ISTIO_VERSION } as PinnedChart,
  kubePrometheusStack: { chart: 'kube-prometheus-stack', repository: 'https://prometheus-community.github.io/helm-charts', version: '85.1.3' } as PinnedChart,
  argoRollouts: { chart: 'argo-rollouts', repository: 'https://argoproj.github.io/argo-helm', version: '2.43.1' } as PinnedChart,
  nvidiaDevicePlugin: { chart: 'nvidia-device-plugin', repository: 'https://nvidia.github.io/k8s-device-plugin', version: '0.18.2' } as PinnedChart,
  dcgmExporter: { chart: 'dcgm-exporter', repository: 'https://nvidia.github.io/dcgm-exporter/helm-charts', version: '4.8.3' } as PinnedChart,
});
