import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, containerWithSecurity, cronJob, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-001 (baseline `privileged`): no container runs privileged. */
export default defineRule({
  id: 'MLOPS-PSS-001',
  title: 'No privileged containers (Pod Security Standards baseline: privileged)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'IAM'],
  acknowledgeable: false,
  rationale:
    'A privileged container has every Linux capability and every host device: it is root on the node, can load kernel ' +
    'modules and read the memory and credentials of every other pod there, including model servers handling regulated ' +
    'data. No admission profile other than privileged admits it.',
  fix:
    'Remove privileged: true. cdk8s-plus-27 emits securityContext.privileged: false by default (ContainerProps.securityContext.privileged); ' +
    'the Kubernetes field is spec.containers[*].securityContext.privileged (also initContainers and ephemeralContainers), false or unset. ' +
    'GPU node daemons that need it (NVIDIA device plugin, DCGM exporter) are installed by their Helm chart into a separately labelled namespace.',
  references: pssReferences('privileged'),
  scenarios: [
    { name: 'restricted Deployment', expect: 'pass', resource: deployment() },
    { name: 'privileged explicitly false on an init container', expect: 'pass', resource: deployment(podSpec({ initContainers: [container({ name: 'init', securityContext: { privileged: false } })] })) },
    { name: 'privileged main container', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ privileged: true })] })) },
    {
      name: 'privileged init container in a CronJob',
      expect: 'fail',
      resource: cronJob(podSpec({ initContainers: [container({ name: 'setup', securityContext: { privileged: true } })] })),
    },
    { name: 'privileged from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ privileged: '{{ .Values.privileged }}' })] })) },
    { name: 'Rollout with workloadRef (the Deployment is checked)', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const privileged = lookup(ctx, c.container, c.path, ['securityContext', 'privileged']);
        if (ctx.bool(privileged.value, privileged.path) === true) {
          failures.push(fail(privileged.path, `${describeContainer(c)} sets securityContext.privileged: true (all capabilities and host devices)`));
        }
      }
      return passUnless(failures);
    }),
});
