import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The handlers pod-security-admission looks at, as paths under a container. */
const HANDLERS: readonly (readonly string[])[] = [
  ['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop'],
];

/** MLOPS-PSS-005 (baseline `hostProbesAndHostLifecycle`): probes and lifecycle hooks target the pod itself. */
export default defineRule({
  id: 'MLOPS-PSS-005',
  title: 'Probes and lifecycle handlers set no host (Pod Security Standards baseline: hostProbesAndHostLifecycle)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'NET'],
  acknowledgeable: true,
  rationale:
    'httpGet and tcpSocket handlers are executed by the kubelet, from the node. A host other than the pod turns the ' +
    'kubelet into a proxy: a probe can reach the instance metadata service, node-local ports or other tenants\' pods, ' +
    'outside NetworkPolicy and the mesh (policy version 1.34 and later).',
  fix:
    'Remove host from httpGet and tcpSocket probes and lifecycle handlers so they target the pod IP. cdk8s-plus-27 ' +
    'Probe.fromHttpGet / Probe.fromTcpSocket take a host option (leave it unset); the Kubernetes fields are ' +
    'spec.template.spec.containers[*].{liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host and lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host.',
  references: pssReferences('hostProbesAndHostLifecycle'),
  scenarios: [
    {
      name: 'probes on the pod itself',
      expect: 'pass',
      resource: deployment(podSpec({ containers: [container({ readinessProbe: { httpGet: { path: '/ready', port: 8080 } }, startupProbe: { tcpSocket: { port: 8080 } } })] })),
    },
    {
      name: 'liveness probe against the instance metadata service',
      expect: 'fail',
      resource: deployment(podSpec({ containers: [container({ livenessProbe: { httpGet: { host: '169.254.169.254', path: '/latest/meta-data/', port: 80 } } })] })),
    },
    {
      name: 'preStop hook to another host',
      expect: 'fail',
      resource: deployment(podSpec({ containers: [container({ lifecycle: { preStop: { httpGet: { host: 'drain.internal', path: '/drain', port: 80 } } } })] })),
    },
    { name: 'probe host that is an object, not a string', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ startupProbe: { tcpSocket: { host: { value: 'x' }, port: 8080 } } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        for (const handler of HANDLERS) {
          for (const action of ['httpGet', 'tcpSocket']) {
            const host = lookup(ctx, c.container, c.path, [...handler, action, 'host']);
            const value = ctx.string(host.value, host.path);
            if (value) failures.push(fail(host.path, `${describeContainer(c)} ${handler.join('.')} ${action} targets host ${value}, not the pod`));
          }
        }
      }
      return passUnless(failures);
    }),
});
