import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, isWindowsPod, itemsAt, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { container, containerWithSecurity, deployment, pod, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-018 (restricted `capabilities_restricted`): containers drop ALL and add back at most NET_BIND_SERVICE. */
export default defineRule({
  id: 'MLOPS-PSS-018',
  title: 'Containers drop ALL capabilities and add only NET_BIND_SERVICE (Pod Security Standards restricted: capabilities_restricted)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'The runtime grants a default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on some runtimes, ...) that ' +
    'a model server does not need; each is a step towards root after a code-execution bug. Dropping ALL removes them; ' +
    'only NET_BIND_SERVICE (ports below 1024) may be added back.',
  fix:
    'Set capabilities: {drop: ["ALL"]} on every container, init container and ephemeral container, and add nothing but ' +
    'NET_BIND_SERVICE. cdk8s-plus-27 ContainerProps.securityContext.capabilities.drop (its Capability enum has no ALL: pass ' +
    '"ALL" with a type cast); Kubernetes field spec.template.spec.containers[*].securityContext.capabilities. Windows pods are exempt.',
  references: pssReferences('capabilities_restricted'),
  scenarios: [
    { name: 'drop ALL', expect: 'pass', resource: deployment() },
    { name: 'drop ALL, add NET_BIND_SERVICE', expect: 'pass', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] })) },
    { name: 'Windows pod without capabilities (exempt)', expect: 'pass', resource: pod(podSpec({ os: { name: 'windows' }, containers: [container({ securityContext: {} })] })) },
    { name: 'no capabilities (cdk8s-plus-27 default)', expect: 'fail', resource: deployment(podSpec({ containers: [container({ securityContext: { allowPrivilegeEscalation: false } })] })) },
    { name: 'drops NET_RAW only', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: ['NET_RAW'] } })] })) },
    { name: 'drop ALL but add CHOWN', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } })] })) },
    { name: 'drop list from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: '{{ .Values.drop }}' } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (isWindowsPod(ctx, pod)) return pass('Windows pod: the Linux-only capabilities check does not apply');
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const drop = lookup(ctx, c.container, c.path, ['securityContext', 'capabilities', 'drop']);
        const dropped = itemsAt(ctx, drop.value, drop.path).map(({ item, path }) => ctx.string(item, path));
        if (!dropped.includes('ALL')) {
          failures.push(fail(drop.path, `${describeContainer(c)} does not drop ALL capabilities${dropped.length > 0 ? ` (drops only ${dropped.join(', ')})` : ''}`));
        }
        const add = lookup(ctx, c.container, c.path, ['securityContext', 'capabilities', 'add']);
        for (const { item, path } of itemsAt(ctx, add.value, add.path)) {
          const capability = ctx.string(item, path);
          if (capability !== 'NET_BIND_SERVICE') failures.push(fail(path, `${describeContainer(c)} adds capability ${capability}; restricted allows only NET_BIND_SERVICE`));
        }
      }
      return passUnless(failures);
    }),
});
