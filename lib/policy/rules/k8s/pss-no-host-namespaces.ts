import { defineRule, fail, RuleOutcome } from '../../rule';
import { onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { deployment, pod, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

const NAMESPACES: Readonly<Record<string, string>> = {
  hostNetwork: "the node's network namespace (its interfaces, localhost services and the instance metadata endpoint)",
  hostPID: "the node's process namespace (every process on the node, and their environment and memory)",
  hostIPC: "the node's IPC namespace (shared memory of every process on the node)",
};

/** MLOPS-PSS-002 (baseline `hostNamespaces`): pods do not share the node's network, PID or IPC namespace. */
export default defineRule({
  id: 'MLOPS-PSS-002',
  title: 'Pods do not share host namespaces (Pod Security Standards baseline: hostNamespaces)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'NET'],
  acknowledgeable: false,
  rationale:
    'hostNetwork, hostPID and hostIPC remove the isolation between the pod and the node: a pod on the host network ' +
    'bypasses NetworkPolicy and the mesh sidecar and reaches the instance metadata credentials; hostPID exposes every ' +
    'process of the node, including other tenants\' model servers.',
  fix:
    'Remove hostNetwork, hostPID and hostIPC (or set them false). cdk8s-plus-27 emits hostNetwork: false by default ' +
    '(Deployment prop hostNetwork); the Kubernetes fields are spec.template.spec.hostNetwork, hostPID and hostIPC.',
  references: pssReferences('hostNamespaces'),
  scenarios: [
    { name: 'restricted Deployment', expect: 'pass', resource: deployment() },
    { name: 'all three explicitly false', expect: 'pass', resource: pod(podSpec({ hostNetwork: false, hostPID: false, hostIPC: false })) },
    { name: 'hostNetwork true', expect: 'fail', resource: deployment(podSpec({ hostNetwork: true })) },
    { name: 'hostPID true on a Pod', expect: 'fail', resource: pod(podSpec({ hostPID: true })) },
    { name: 'hostIPC from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ hostIPC: '{{ .Values.hostIPC }}' })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const [field, shared] of Object.entries(NAMESPACES)) {
        const path = `${pod.path}/${field}`;
        if (ctx.bool(pod.spec[field], path) === true) failures.push(fail(path, `${field} is true: the pod shares ${shared}`));
      }
      return passUnless(failures);
    }),
});
