import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless } from './pss';
import { container, cronJob, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-K8S-001: every container and init container has a memory limit. */
export default defineRule({
  id: 'MLOPS-K8S-001',
  title: 'Every container sets a memory limit',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['RES'],
  acknowledgeable: true,
  rationale:
    'A container without a memory limit can take all the memory of its node: a large batch, a leak or a model ' +
    'loaded twice evicts or OOM-kills the other model servers there. With a limit only the offending container is ' +
    'killed and restarted, and the scheduler can place replicas on nodes that really have room.',
  fix:
    'Set resources.limits.memory on every container and init container (ephemeral containers take no resources). cdk8s-plus-27 ' +
    'sets memory limit 2048Mi by default; size it with ContainerProps.resources.memory: {request, limit} (Size.gibibytes). ' +
    'Kubernetes field: spec.template.spec.containers[*].resources.limits.memory.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    'https://kubernetes.io/docs/concepts/policy/limit-range/',
  ],
  scenarios: [
    { name: 'memory limit on the container', expect: 'pass', resource: deployment() },
    { name: 'requests only', expect: 'fail', resource: deployment(podSpec({ containers: [container({ resources: { requests: { cpu: '1', memory: '2Gi' } } })] })) },
    { name: 'CronJob init container without resources', expect: 'fail', resource: cronJob(podSpec({ initContainers: [container({ name: 'fetch', resources: undefined })] })) },
    { name: 'limits from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [container({ resources: { limits: '{{ .Values.limits }}' } })] })) },
    { name: 'Rollout with workloadRef (the Deployment is checked)', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod, ['containers', 'initContainers'])) {
        const memory = lookup(ctx, c.container, c.path, ['resources', 'limits', 'memory']);
        if (!ctx.isPresent(memory.value, memory.path)) failures.push(fail(memory.path, `${describeContainer(c)} has no resources.limits.memory`));
      }
      return passUnless(failures);
    }),
});
