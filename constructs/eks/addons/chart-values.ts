import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { NODE_SCHEDULING } from '../node-scheduling';
import type { PinnedChart } from './versions';

/** What every add-on lets a user change about its charts. */
export interface AddonChartOptions {
  /**
   * Repository to install the pinned charts from instead of the upstream one: a mirror such as
   * `oci://111122223333.dkr.ecr.eu-west-1.amazonaws.com/helm` for a cluster without internet egress. The chart
   * versions stay those of `PINNED_CHARTS`.
   * @default - the upstream repository of each chart
   */
  readonly repository?: string;
  /**
   * Extra Helm values (image registries of a mirror, resources, replicas). The add-on's own settings (security
   * contexts, mesh policy, storage encryption, node placement) are applied over them and cannot be changed this way.
   * @default - none
   */
  readonly values?: { [key: string]: any };
}

/** Deep-merges Helm values; `enforced` wins over `base`, arrays are replaced, not merged. */
export function mergeValues(base: { [key: string]: any } | undefined, enforced: { [key: string]: any }): { [key: string]: any } {
  const merged: { [key: string]: any } = { ...base };
  for (const [key, value] of Object.entries(enforced)) {
    const current = merged[key];
    merged[key] = isObject(value) && isObject(current) ? mergeValues(current, value) : value;
  }
  return merged;
}

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Helm chart options for a pinned chart, from a mirror when one is given. */
export function pinnedChartOptions(
  pinned: PinnedChart, options: { repository?: string }, namespace: string, release: string, values: { [key: string]: any },
): eks.HelmChartOptions {
  return {
    chart: pinned.chart,
    repository: options.repository ?? pinned.repository,
    version: pinned.version,
    namespace,
    release,
    values,
    // Namespaces are created by the add-ons with their Pod Security labels, never by Helm.
    createNamespace: false,
  };
}

/** Tolerations for the GPU taint, for daemons that must run on GPU nodes. */
export const GPU_TOLERATIONS = [{ key: NODE_SCHEDULING.gpuTaint.key, operator: 'Exists', effect: NODE_SCHEDULING.gpuTaint.effect }];

/** A container security context that meets the restricted Pod Security Standard. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
