import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The SELinux types a container may run as (container_engine_t since policy 1.31). */
const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** MLOPS-PSS-008 (baseline `seLinuxOptions`): SELinux labels stay within the container types. */
export default defineRule({
  id: 'MLOPS-PSS-008',
  title: 'SELinux options use a container type and no custom user or role (Pod Security Standards baseline: seLinuxOptions)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'On SELinux nodes the container types confine what a container process may touch. A custom type (spc_t, ' +
    'unconfined_t), user or role lifts that confinement and gives the process host-level access.',
  fix:
    'Remove seLinuxOptions, or keep only level and a type among container_t, container_init_t, container_kvm_t, container_engine_t. ' +
    'cdk8s-plus-27 has no SELinux prop; the Kubernetes fields are spec.template.spec.securityContext.seLinuxOptions.{type,user,role} ' +
    'and spec.template.spec.containers[*].securityContext.seLinuxOptions.{type,user,role}.',
  references: pssReferences('seLinuxOptions'),
  scenarios: [
    { name: 'no SELinux options', expect: 'pass', resource: deployment() },
    { name: 'MCS level with container_t', expect: 'pass', resource: deployment(podSpec({ containers: [containerWithSecurity({ seLinuxOptions: { type: 'container_t', level: 's0:c123,c456' } })] })) },
    { name: 'spc_t type on a container', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ seLinuxOptions: { type: 'spc_t' } })] })) },
    { name: 'custom user and role on the pod', expect: 'fail', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { user: 'system_u', role: 'system_r' } } })) },
    { name: 'type that is an object, not a string', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ seLinuxOptions: { type: { name: 'container_t' } } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      const check = (owner: string, root: unknown, rootPath: string) => {
        const options = lookup(ctx, root, rootPath, ['securityContext', 'seLinuxOptions']);
        if (!ctx.isPresent(options.value, options.path)) return;
        const type = lookup(ctx, options.value, options.path, ['type']);
        const typeValue = ctx.string(type.value, type.path) ?? '';
        if (!ALLOWED_TYPES.has(typeValue)) failures.push(fail(type.path, `${owner} sets SELinux type ${typeValue}, not a container type`));
        for (const field of ['user', 'role']) {
          const set = lookup(ctx, options.value, options.path, [field]);
          const value = ctx.string(set.value, set.path);
          if (value) failures.push(fail(set.path, `${owner} sets a custom SELinux ${field} (${value})`));
        }
      };
      check('the pod', pod.spec, pod.path);
      for (const c of containersOf(ctx, pod)) check(describeContainer(c), c.container, c.path);
      return passUnless(failures);
    }),
});
