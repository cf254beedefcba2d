import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, pod, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-012 (baseline `windowsHostProcess`): no Windows HostProcess containers. */
export default defineRule({
  id: 'MLOPS-PSS-012',
  title: 'No Windows HostProcess containers (Pod Security Standards baseline: windowsHostProcess)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'A Windows HostProcess container runs directly on the node as a host process, with the node\'s network and ' +
    'filesystem: the Windows equivalent of a privileged container.',
  fix:
    'Remove windowsOptions.hostProcess (or set false). cdk8s-plus-27 has no prop for it; the Kubernetes fields are ' +
    'spec.template.spec.securityContext.windowsOptions.hostProcess and spec.template.spec.containers[*].securityContext.windowsOptions.hostProcess.',
  references: pssReferences('windowsHostProcess'),
  scenarios: [
    { name: 'Linux pod without windowsOptions', expect: 'pass', resource: deployment() },
    { name: 'hostProcess false', expect: 'pass', resource: pod(podSpec({ os: { name: 'windows' }, securityContext: { windowsOptions: { hostProcess: false } } })) },
    { name: 'pod-level hostProcess', expect: 'fail', resource: pod(podSpec({ os: { name: 'windows' }, hostNetwork: true, securityContext: { windowsOptions: { hostProcess: true } } })) },
    { name: 'container-level hostProcess', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ windowsOptions: { hostProcess: true } })] })) },
    { name: 'hostProcess from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ windowsOptions: { hostProcess: '{{ .Values.hostProcess }}' } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      const check = (owner: string, root: unknown, rootPath: string) => {
        const hostProcess = lookup(ctx, root, rootPath, ['securityContext', 'windowsOptions', 'hostProcess']);
        if (ctx.bool(hostProcess.value, hostProcess.path) === true) failures.push(fail(hostProcess.path, `${owner} sets windowsOptions.hostProcess: true (runs as a process of the node)`));
      };
      check('the pod', pod.spec, pod.path);
      for (const c of containersOf(ctx, pod)) check(describeContainer(c), c.container, c.path);
      return passUnless(failures);
    }),
});
