import { defineRule, fail, pass, RuleOutcome } from '../../rule';
import { containersOf, describeContainer, inUserNamespace, itemsAt, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { containerWithSecurity, deployment, podSpec, RESTRICTED_CONTAINER_SECURITY, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The container runtime's default capability set: adding one of these grants nothing new. */
const DEFAULT_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** MLOPS-PSS-007 (baseline `capabilities_baseline`): no capability beyond the runtime default set is added. */
export default defineRule({
  id: 'MLOPS-PSS-007',
  title: 'No capabilities added beyond the default set (Pod Security Standards baseline: capabilities_baseline)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'Capabilities such as SYS_ADMIN, NET_ADMIN, NET_RAW or SYS_PTRACE give a container parts of root on the node: ' +
    'mounting filesystems, rewriting routing and iptables (bypassing the mesh), spoofing packets, reading other ' +
    'processes. The Istio init container needs NET_ADMIN and NET_RAW; the Istio CNI removes that need.',
  fix:
    'Remove capabilities outside AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, ' +
    'SETPCAP, SETUID, SYS_CHROOT from add (cdk8s-plus-27 ContainerProps.securityContext.capabilities.add; Kubernetes field ' +
    'spec.template.spec.containers[*].securityContext.capabilities.add). Use the Istio CNI instead of istio-init. Not checked ' +
    'for pods with hostUsers: false, as pod-security-admission relaxes it for user-namespaced pods.',
  references: pssReferences('capabilities_baseline', 'https://istio.io/latest/docs/setup/additional-setup/cni/'),
  scenarios: [
    { name: 'drop ALL, add nothing', expect: 'pass', resource: deployment() },
    { name: 'add NET_BIND_SERVICE and CHOWN (default set)', expect: 'pass', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } })] })) },
    {
      name: 'user-namespaced pod adding SYS_ADMIN (relaxed)',
      expect: 'pass',
      resource: deployment(podSpec({ hostUsers: false, containers: [containerWithSecurity({ capabilities: { add: ['SYS_ADMIN'] } })] })),
    },
    {
      name: 'istio-init style NET_ADMIN and NET_RAW',
      expect: 'fail',
      resource: deployment(podSpec({ initContainers: [{ name: 'istio-init', image: 'docker.io/istio/proxyv2:1.24.0', securityContext: { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } }] })),
    },
    { name: 'SYS_ADMIN on the model server', expect: 'fail', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } })] })) },
    { name: 'add list from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ containers: [containerWithSecurity({ capabilities: { add: '{{ .Values.caps }}' } })] })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      if (inUserNamespace(ctx, pod)) return pass('hostUsers is false: pod-security-admission relaxes capabilities_baseline for user-namespaced pods');
      const failures: RuleOutcome[] = [];
      for (const c of containersOf(ctx, pod)) {
        const add = lookup(ctx, c.container, c.path, ['securityContext', 'capabilities', 'add']);
        for (const { item, path } of itemsAt(ctx, add.value, add.path)) {
          const capability = ctx.string(item, path);
          if (capability !== undefined && !DEFAULT_CAPABILITIES.has(capability)) {
            failures.push(fail(path, `${describeContainer(c)} adds capability ${capability}, outside the runtime default set`));
          }
        }
      }
      return passUnless(failures);
    }),
});
