import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, inUserNamespace, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-015 (restricted `runAsNonRoot`): the pod or every container requires a non-root user. */
export default defineRule({
  id: 'MLOPS-PSS-015',
  title: 'Containers must run as non-root (Pod Security Standards restricted: runAsNonRoot)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'Root in a container is root on the node\'s kernel: every container escape or writable host mount becomes node ' +
    'compromise. runAsNonRoot: true makes the kubelet refuse to start a container whose user is 0.',
  fix:
    'Set runAsNonRoot: true at pod level (spec.template.spec.securityContext.runAsNonRoot) or on every container ' +
    '(containers[*].securityContext.runAsNonRoot), and never false. cdk8s-plus-27 emits it on both by default ' +
    '(PodProps.securityContext.ensureNonRoot, ContainerProps.securityContext.ensureNonRoot); the image must declare a numeric ' +
    'non-root USER. Relaxed for pods with hostUsers: false.',
  references: pssReferences('runAsNonRoot'),
  scenarios: [
    { name: 'pod-level true, containers unset', expect: 'pass', resource: deployment(podSpec({ containers: [container({ securityContext: { allowPrivilegeEscalation: false } })] })) },
    { name: 'no pod level, every container true', expect: 'pass', resource: deployment(podSpec({ securityContext: {}, containers: [containerWithSecurity({ runAsNonRoot: true })] })) },
    { name: 'user-namespaced pod without runAsNonRoot (relaxed)', expect: 'pass', resource: deployment(podSpec({ hostUsers: false, securityContext: {}, containers: [container({ securityContext: {} })] })) },
    { name: 'neither pod nor container sets it', expect: 'fail', resource: deployment(podSpec({ securityContext: {}, containers: [container({ securityContext: {} })] })) },
    { name: 'container false despite pod-level true', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ runAsNonRoot: false })] })) },
    { name: 'pod-level false with containers true', expect: 'fail', resource: deployment(podSpec({ securityContext: { runAsNonRoot: false }, containers: [containerWithSecurity({ runAsNonRoot: true })] })) },
    { name: 'from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ securityContext: { runAsNonRoot: '{{ .Values.nonRoot }}' } })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (inUserNamespace(ctx, pod)) return pass('hostUsers is false: root in the container maps to an unprivileged user on the node');
      const failures: RuleOutcome[] = [];
      const podLevel = lookup(ctx, pod.spec, pod.path, ['securityContext', 'runAsNonRoot']);
      const podValue = ctx.bool(podLevel.value, podLevel.path);
      if (podValue === false) failures.push(fail(podLevel.path, 'the pod sets runAsNonRoot: false'));
      for (const c of containersOf(ctx, pod)) {
        const field = lookup(ctx, c.container, c.path, ['securityContext', 'runAsNonRoot']);
        const value = ctx.bool(field.value, field.path);
        if (value === false) failures.push(fail(field.path, `${describeContainer(c)} sets runAsNonRoot: false`));
        else if (value === undefined && podValue !== true) failures.push(fail(field.path, `${describeContainer(c)} does not set runAsNonRoot: true, and neither does the pod`));
      }
      return passUnless(failures);
    }),
});
