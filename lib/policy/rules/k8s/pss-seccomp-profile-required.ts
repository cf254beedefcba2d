import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { isWindowsPod, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { isConfiningSeccomp, seccompSettings } from './seccomp';
import { container, containerWithSecurity, deployment, pod, podSpec, RESTRICTED_CONTAINER_SECURITY, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The restricted container security context without its own seccompProfile. */
const WITHOUT_SECCOMP = { ...RESTRICTED_CONTAINER_SECURITY, seccompProfile: undefined };

/** MLOPS-PSS-017 (restricted `seccompProfile_restricted`): every container runs under RuntimeDefault or Localhost seccomp. */
export default defineRule({
  id: 'MLOPS-PSS-017',
  title: 'Seccomp profile is RuntimeDefault or Localhost (Pod Security Standards restricted: seccompProfile_restricted)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'Without a seccomp profile the container runtime runs containers Unconfined: every system call is available, ' +
    'including those most kernel privilege-escalation exploits rely on. Restricted requires the profile to be set, ' +
    'at pod level (inherited by every container) or on each container.',
  fix:
    'Set spec.template.spec.securityContext.seccompProfile: {type: RuntimeDefault} (or on each container, ' +
    'containers[*].securityContext.seccompProfile), and never Unconfined on a container. cdk8s-plus-27 has no seccomp prop ' +
    '(plus-33 adds it): patch with JsonPatch.add("/spec/template/spec/securityContext/seccompProfile", {type: "RuntimeDefault"}). ' +
    'Windows pods (spec.os.name: windows) are exempt.',
  references: pssReferences('seccompProfile_restricted'),
  scenarios: [
    { name: 'RuntimeDefault at pod level, containers inherit', expect: 'pass', resource: deployment(podSpec({ containers: [container({ securityContext: WITHOUT_SECCOMP })] })) },
    { name: 'no pod level, Localhost on every container', expect: 'pass', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true }, containers: [containerWithSecurity({ seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/model.json' } })] })) },
    { name: 'Windows pod without a profile (exempt)', expect: 'pass', resource: pod(podSpec({ os: { name: 'windows' }, securityContext: {}, containers: [container({ securityContext: {} })] })) },
    { name: 'no profile anywhere (cdk8s-plus-27 default)', expect: 'fail', resource: deployment(podSpec({ securityContext: { runAsNonRoot: true }, containers: [container({ securityContext: WITHOUT_SECCOMP })] })) },
    { name: 'pod RuntimeDefault but a container Unconfined', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ seccompProfile: { type: 'Unconfined' } })] })) },
    { name: 'profile type that is a list', expect: 'unresolvable', resource: deployment(podSpec({ securityContext: { seccompProfile: { type: ['RuntimeDefault'] } } })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (isWindowsPod(ctx, pod)) return pass('Windows pod: the Linux-only seccomp check does not apply');
      const settings = seccompSettings(ctx, pod);
      const failures: RuleOutcome[] = [];
      const describe = (type: string) => `${type || '(empty)'}, not RuntimeDefault or Localhost`;
      if (settings.pod.set && !isConfiningSeccomp(settings.pod.type)) failures.push(fail(settings.pod.path, `the pod sets seccompProfile.type ${describe(settings.pod.type)}`));
      for (const c of settings.containers) {
        if (c.set && !isConfiningSeccomp(c.type)) failures.push(fail(c.path, `${c.owner} sets seccompProfile.type ${describe(c.type)}`));
        // A container without a profile inherits the pod's; when the pod has none, it runs Unconfined.
        else if (!c.set && !settings.pod.set) failures.push(fail(c.path, `${c.owner} has no seccompProfile and the pod sets none: it runs Unconfined`));
      }
      return passUnless(failures);
    }),
});
