import { defineRule, pass } from '../../rule';
import { inUserNamespace, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { procMountFailures } from './proc-mount';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-009 (baseline `procMount`): /proc stays masked, except in a user namespace. */
export default defineRule({
  id: 'MLOPS-PSS-009',
  title: 'procMount is Default unless the pod is user-namespaced (Pod Security Standards baseline: procMount)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'The runtime masks and makes read-only the parts of /proc that expose the node kernel (kcore, sysrq-trigger, ' +
    'timer lists). procMount: Unmasked removes those masks; from policy 1.35 baseline allows it only in a user ' +
    'namespace (hostUsers: false), where the kernel limits what the container can reach.',
  fix:
    'Remove procMount or set it to Default. cdk8s-plus-27 has no procMount prop; the Kubernetes field is ' +
    'spec.template.spec.containers[*].securityContext.procMount (also initContainers, ephemeralContainers).',
  references: pssReferences('procMount'),
  scenarios: [
    { name: 'procMount unset', expect: 'pass', resource: deployment() },
    { name: 'procMount Default', expect: 'pass', resource: deployment(podSpec({ containers: [containerWithSecurity({ procMount: 'Default' })] })) },
    { name: 'Unmasked in a user-namespaced pod (relaxed)', expect: 'pass', resource: deployment(podSpec({ hostUsers: false, containers: [containerWithSecurity({ procMount: 'Unmasked' })] })) },
    { name: 'Unmasked on the host user namespace', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ procMount: 'Unmasked' })] })) },
    { name: 'procMount that is a list', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ procMount: ['Default'] })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (inUserNamespace(ctx, pod)) return pass('hostUsers is false: baseline allows any procMount in a user namespace (policy 1.35)');
      return passUnless(procMountFailures(ctx, pod));
    }),
});
