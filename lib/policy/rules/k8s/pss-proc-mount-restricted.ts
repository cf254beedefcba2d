import { defineRule } from '../../rule';
import { onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { procMountFailures } from './proc-mount';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-019 (restricted `procMount_restricted`): /proc stays masked, user namespace or not. */
export default defineRule({
  id: 'MLOPS-PSS-019',
  title: 'procMount is Default, even in a user namespace (Pod Security Standards restricted: procMount_restricted)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'Policy 1.35 relaxed the baseline procMount check for user-namespaced pods; restricted keeps the unconditional ' +
    'rule, so an unmasked /proc (kernel interfaces of the node) is never admitted in a restricted namespace.',
  fix:
    'Remove procMount or set it to Default on every container. cdk8s-plus-27 has no procMount prop; the Kubernetes field is ' +
    'spec.template.spec.containers[*].securityContext.procMount (also initContainers, ephemeralContainers).',
  references: pssReferences('procMount_restricted'),
  scenarios: [
    { name: 'procMount unset', expect: 'pass', resource: deployment() },
    { name: 'procMount Default in a user-namespaced pod', expect: 'pass', resource: deployment(podSpec({ hostUsers: false, containers: [containerWithSecurity({ procMount: 'Default' })] })) },
    { name: 'Unmasked in a user-namespaced pod (not relaxed in restricted)', expect: 'fail', resource: deployment(podSpec({ hostUsers: false, containers: [containerWithSecurity({ procMount: 'Unmasked' })] })) },
    { name: 'Unmasked on the host user namespace', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ procMount: 'Unmasked' })] })) },
    { name: 'procMount that is a list', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ procMount: ['Default'] })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) => onPodTemplate(workload, ctx, (pod) => passUnless(procMountFailures(ctx, pod))),
});
