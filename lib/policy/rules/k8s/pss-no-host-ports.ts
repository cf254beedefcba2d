import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, itemsAt, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-004 (baseline `hostPorts`): no container binds a port of the node. */
export default defineRule({
  id: 'MLOPS-PSS-004',
  title: 'No host ports (Pod Security Standards baseline: hostPorts)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'NET'],
  acknowledgeable: true,
  rationale:
    'A hostPort opens the port on the node\'s own address: traffic to it bypasses the Service, NetworkPolicy and the ' +
    'mesh, and the model endpoint becomes reachable from anything that can reach the node.',
  fix:
    'Remove hostPort (or set 0) and expose the container through a Service. cdk8s-plus-27 ContainerPort has hostPort ' +
    '(leave it unset); the Kubernetes field is spec.template.spec.containers[*].ports[*].hostPort.',
  references: pssReferences('hostPorts'),
  scenarios: [
    { name: 'container port only', expect: 'pass', resource: deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080 }] })] })) },
    { name: 'hostPort 0 (the same as unset)', expect: 'pass', resource: deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080, hostPort: 0 }] })] })) },
    { name: 'hostPort 8080', expect: 'fail', resource: deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080, hostPort: 8080 }] })] })) },
    {
      name: 'hostPort on an init container',
      expect: 'fail',
      resource: deployment(podSpec({ initContainers: [container({ name: 'warmup', ports: [{ containerPort: 9000, hostPort: 9000 }] })] })),
    },
    { name: 'hostPort from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ ports: [{ containerPort: 8080, hostPort: '{{ .Values.hostPort }}' }] })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        for (const { item, path } of itemsAt(ctx, c.container.ports, `${c.path}/ports`)) {
          const field = lookup(ctx, item, path, ['hostPort']);
          const hostPort = ctx.number(field.value, field.path);
          if (hostPort !== undefined && hostPort !== 0) failures.push(fail(field.path, `${describeContainer(c)} binds hostPort ${hostPort} on the node`));
        }
      }
      return passUnless(failures);
    }),
});
