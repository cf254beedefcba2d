/**
 * Kubernetes objects the rule scenarios are written with: a compliant baseline that each scenario changes in
 * one place, so a scenario shows exactly the field it is about.
 */

/** An image pinned by digest. */
export const PINNED_IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/models/churn@sha256:${'0123456789abcdef'.repeat(4)}`;

/** The container security context the restricted profile asks for. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** A container that meets the restricted profile and the library's own rules; `changes` replace its fields. */
export function container(changes: Record<string, any> = {}): Record<string, any> {
  return {
    name: 'main',
    image: PINNED_IMAGE,
    resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
    securityContext: RESTRICTED_CONTAINER_SECURITY,
    ...changes,
  };
}

/** A container whose security context is the restricted one with `changes` applied. */
export function containerWithSecurity(changes: Record<string, any>): Record<string, any> {
  return container({ securityContext: { ...RESTRICTED_CONTAINER_SECURITY, ...changes } });
}

/** A restricted pod spec; `changes` replace its fields. */
export function podSpec(changes: Record<string, any> = {}): Record<string, any> {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    ...changes,
  };
}

/** A Deployment in namespace `serving` running `spec`. */
export function deployment(spec: Record<string, any> = podSpec(), podAnnotations?: Record<string, string>): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'model', namespace: 'serving' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'model' } },
      template: { metadata: { labels: { app: 'model' }, ...(podAnnotations ? { annotations: podAnnotations } : {}) }, spec },
    },
  };
}

/** A bare Pod in namespace `serving`. */
export function pod(spec: Record<string, any> = podSpec()): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'model', namespace: 'serving' }, spec };
}

/** A CronJob in namespace `serving` (its pod template is three levels down). */
export function cronJob(spec: Record<string, any> = podSpec()): Record<string, any> {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'drift', namespace: 'serving' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', ...spec } } } } },
  };
}

/** An Argo Rollout that takes its pods from a Deployment (`workloadRef`): no template of its own. */
export const ROLLOUT_WITH_WORKLOAD_REF = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'model', namespace: 'serving' },
  spec: {
    workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'model' },
    strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '30m' } }] } },
  },
};

/** A Namespace with optional labels. */
export function namespace(name: string, labels?: Record<string, string>): Record<string, any> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } };
}
