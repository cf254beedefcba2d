import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, inUserNamespace, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-016 (restricted `runAsUser`): no pod or container sets runAsUser: 0. */
export default defineRule({
  id: 'MLOPS-PSS-016',
  title: 'No container runs as user 0 (Pod Security Standards restricted: runAsUser)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'runAsUser: 0 runs the container as root on the node\'s kernel, whatever the image declares; with runAsNonRoot ' +
    'it stops the pod from starting, without it the pod runs as root.',
  fix:
    'Set runAsUser to a non-zero UID or leave it unset and let the image\'s numeric USER apply. cdk8s-plus-27: ' +
    'ContainerProps.securityContext.user / PodProps.securityContext.user; Kubernetes fields ' +
    'spec.template.spec.securityContext.runAsUser and containers[*].securityContext.runAsUser. Relaxed for pods with hostUsers: false.',
  references: pssReferences('runAsUser'),
  scenarios: [
    { name: 'runAsUser unset', expect: 'pass', resource: deployment() },
    { name: 'UID 10001', expect: 'pass', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } } })) },
    { name: 'UID 0 in a user-namespaced pod (relaxed)', expect: 'pass', resource: deployment(podSpec({ hostUsers: false, containers: [containerWithSecurity({ runAsUser: 0 })] })) },
    { name: 'container UID 0', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ runAsUser: 0 })] })) },
    { name: 'pod UID 0', expect: 'fail', resource: deployment(podSpec({ securityContext: { runAsUser: 0 } })) },
    { name: 'UID from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ runAsUser: '{{ .Values.uid }}' })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (inUserNamespace(ctx, pod)) return pass('hostUsers is false: UID 0 in the container maps to an unprivileged user on the node');
      const failures: RuleOutcome[] = [];
      const check = (owner: string, root: unknown, rootPath: string) => {
        const field = lookup(ctx, root, rootPath, ['securityContext', 'runAsUser']);
        if (ctx.number(field.value, field.path) === 0) failures.push(fail(field.path, `${owner} sets runAsUser: 0 (root)`));
      };
      check('the pod', pod.spec, pod.path);
      for (const c of containersOf(ctx, pod)) check(describeContainer(c), c.container, c.path);
      return passUnless(failures);
    }),
});
