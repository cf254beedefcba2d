import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, isWindowsPod, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, containerWithSecurity, deployment, pod, podSpec, RESTRICTED_CONTAINER_SECURITY, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-014 (restricted `allowPrivilegeEscalation`): every container sets allowPrivilegeEscalation: false. */
export default defineRule({
  id: 'MLOPS-PSS-014',
  title: 'Containers set allowPrivilegeEscalation: false (Pod Security Standards restricted: allowPrivilegeEscalation)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'Unless no_new_privs is set, a process in the container can gain privileges through setuid binaries or file ' +
    'capabilities in the image. allowPrivilegeEscalation: false sets no_new_privs; the field defaults to true, so it ' +
    'must be set explicitly.',
  fix:
    'Set allowPrivilegeEscalation: false on every container, init container and ephemeral container. cdk8s-plus-27 emits it by ' +
    'default (ContainerProps.securityContext.allowPrivilegeEscalation); the Kubernetes field is ' +
    'spec.template.spec.containers[*].securityContext.allowPrivilegeEscalation. Windows pods (spec.os.name: windows) are exempt.',
  references: pssReferences('allowPrivilegeEscalation'),
  scenarios: [
    { name: 'explicitly false', expect: 'pass', resource: deployment() },
    { name: 'Windows pod without the field (exempt)', expect: 'pass', resource: pod(podSpec({ os: { name: 'windows' }, containers: [container({ securityContext: {} })] })) },
    { name: 'unset (defaults to true)', expect: 'fail', resource: deployment(podSpec({ containers: [container({ securityContext: { runAsNonRoot: true } })] })) },
    { name: 'true on an init container', expect: 'fail', resource: deployment(podSpec({ initContainers: [container({ name: 'init', securityContext: { ...RESTRICTED_CONTAINER_SECURITY, allowPrivilegeEscalation: true } })] })) },
    { name: 'from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ allowPrivilegeEscalation: '{{ .Values.ape }}' })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (isWindowsPod(ctx, pod)) return pass('Windows pod: the Linux-only allowPrivilegeEscalation check does not apply');
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const field = lookup(ctx, c.container, c.path, ['securityContext', 'allowPrivilegeEscalation']);
        const value = ctx.bool(field.value, field.path);
        if (value !== false) {
          failures.push(fail(field.path, `${describeContainer(c)} ${value === true ? 'sets allowPrivilegeEscalation: true' : 'does not set allowPrivilegeEscalation (the default is true)'}`));
        }
      }
      return passUnless(failures);
    }),
});
