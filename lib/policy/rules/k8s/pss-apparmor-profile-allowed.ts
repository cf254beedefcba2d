import { defineRule, fail, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);
/** The deprecated per-container annotation, still honoured by the kubelet and still checked by pod-security-admission. */
const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

const allowedAnnotationValue = (value: string) => value === '' || value === 'runtime/default' || value.startsWith('localhost/');

/** MLOPS-PSS-006 (baseline `appArmorProfile`): AppArmor is never turned off or overridden with an arbitrary profile. */
export default defineRule({
  id: 'MLOPS-PSS-006',
  title: 'AppArmor profile is RuntimeDefault or Localhost (Pod Security Standards baseline: appArmorProfile)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'The container runtime confines every container with its default AppArmor profile. Setting the profile to ' +
    'Unconfined removes that confinement (mount, ptrace, raw access to /proc and /sys), which is the last barrier ' +
    'after a container escape bug.',
  fix:
    'Remove appArmorProfile (the runtime default applies) or set type RuntimeDefault or Localhost. cdk8s-plus-27 has no ' +
    'AppArmor prop: patch with a JsonPatch if needed. Kubernetes fields: spec.template.spec.securityContext.appArmorProfile.type, ' +
    'spec.template.spec.containers[*].securityContext.appArmorProfile.type, and the deprecated annotation ' +
    'container.apparmor.security.beta.kubernetes.io/<container> (runtime/default or localhost/<profile>).',
  references: pssReferences('appArmorProfile', 'https://kubernetes.io/docs/tutorials/security/apparmor/'),
  scenarios: [
    { name: 'no AppArmor settings (runtime default)', expect: 'pass', resource: deployment() },
    {
      name: 'Localhost profile and runtime/default annotation',
      expect: 'pass',
      resource: deployment(
        podSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-model' } } }),
        { 'container.apparmor.security.beta.kubernetes.io/main': 'runtime/default' },
      ),
    },
    { name: 'container Unconfined', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ appArmorProfile: { type: 'Unconfined' } })] })) },
    { name: 'unconfined annotation on the pod template', expect: 'fail', resource: deployment(podSpec(), { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' }) },
    { name: 'profile type that is a list', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ appArmorProfile: { type: ['RuntimeDefault'] } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      const check = (owner: string, root: unknown, rootPath: string) => {
        const profile = lookup(ctx, root, rootPath, ['securityContext', 'appArmorProfile']);
        if (!ctx.isPresent(profile.value, profile.path)) return;
        const type = lookup(ctx, profile.value, profile.path, ['type']);
        const value = ctx.string(type.value, type.path);
        if (value === undefined || !ALLOWED_TYPES.has(value)) {
          failures.push(fail(type.path, `${owner} sets AppArmor profile type ${value ?? '(empty)'}, not RuntimeDefault or Localhost`));
        }
      };
      check('the pod', pod.spec, pod.path);
      for (const c of containersOf(ctx, pod)) check(describeContainer(c), c.container, c.path);
      for (const [key, raw] of Object.entries(pod.annotations)) {
        if (!key.startsWith(ANNOTATION_PREFIX)) continue;
        const path = `${pod.annotationsPath}/${key}`;
        const value = ctx.string(raw, path) ?? '';
        if (!allowedAnnotationValue(value)) failures.push(fail(path, `annotation ${key} is "${value}", not runtime/default or localhost/<profile>`));
      }
      return passUnless(failures);
    }),
});
