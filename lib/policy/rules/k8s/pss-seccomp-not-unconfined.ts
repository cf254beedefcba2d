import { defineRule, fail } from '../../rule';
import { onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { isConfiningSeccomp, seccompSettings } from './seccomp';
import { container, containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-010 (baseline `seccompProfile_baseline`): a seccomp profile, where set, is RuntimeDefault or Localhost. */
export default defineRule({
  id: 'MLOPS-PSS-010',
  title: 'Seccomp profile, where set, is not Unconfined (Pod Security Standards baseline: seccompProfile_baseline)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'Seccomp filters the system calls a container may make; Unconfined lets it call everything the kernel offers, ' +
    'including the rarely used calls most kernel privilege-escalation exploits rely on (unshare, keyctl, bpf).',
  fix:
    'Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile), never Unconfined. cdk8s-plus-27 has no ' +
    'seccomp prop: patch /spec/template/spec/securityContext/seccompProfile with {type: RuntimeDefault}. Kubernetes fields: ' +
    'spec.template.spec.securityContext.seccompProfile.type and spec.template.spec.containers[*].securityContext.seccompProfile.type.',
  references: pssReferences('seccompProfile_baseline'),
  scenarios: [
    { name: 'RuntimeDefault at pod level', expect: 'pass', resource: deployment() },
    { name: 'no seccomp profile at all (baseline allows unset)', expect: 'pass', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: { allowPrivilegeEscalation: false } })] })) },
    { name: 'container Unconfined', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ seccompProfile: { type: 'Unconfined' } })] })) },
    { name: 'pod Unconfined', expect: 'fail', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } })) },
    { name: 'profile type that is an object', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ seccompProfile: { type: { name: 'RuntimeDefault' } } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const settings = seccompSettings(ctx, pod);
      return passUnless(
        [settings.pod, ...settings.containers]
          .filter((s) => s.set && !isConfiningSeccomp(s.type))
          .map((s) => fail(s.path, `${s.owner} sets seccompProfile.type ${s.type || '(empty)'}, not RuntimeDefault or Localhost`)),
      );
    }),
});
