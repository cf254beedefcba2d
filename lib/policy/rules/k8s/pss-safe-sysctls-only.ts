import { defineRule, fail, RuleOutcome } from '../../rule';
import { itemsAt, lookup, onPodTemplate, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The sysctls that are namespaced per pod and isolated from other pods on the node (policy 1.29 set). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const withSysctls = (sysctls: unknown) => deployment(podSpec({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls } }));

/** MLOPS-PSS-011 (baseline `sysctls`): only the safe, pod-namespaced sysctls are set. */
export default defineRule({
  id: 'MLOPS-PSS-011',
  title: 'Only safe sysctls are set (Pod Security Standards baseline: sysctls)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'Most kernel parameters are shared by every pod on the node or can starve it (kernel.*, vm.*, most net.*). A pod ' +
    'that sets them changes the behaviour and security of its neighbours; only the listed sysctls are isolated per pod.',
  fix:
    `Keep spec.template.spec.securityContext.sysctls to ${[...SAFE_SYSCTLS].join(', ')}. Tune node-wide parameters in the ` +
    'node group launch template or Bottlerocket settings instead. cdk8s-plus-27 has no sysctls prop (PodProps.securityContext).',
  references: pssReferences('sysctls', 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'),
  scenarios: [
    { name: 'no sysctls', expect: 'pass', resource: deployment() },
    { name: 'safe keepalive tuning', expect: 'pass', resource: withSysctls([{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }, { name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }]) },
    { name: 'kernel.msgmax (node-wide)', expect: 'fail', resource: withSysctls([{ name: 'kernel.msgmax', value: '65536' }]) },
    { name: 'net.core.somaxconn among safe ones', expect: 'fail', resource: withSysctls([{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.core.somaxconn', value: '4096' }]) },
    { name: 'sysctls from an unrendered Helm value', expect: 'unresolvable', resource: withSysctls('{{ .Values.sysctls }}') },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      const sysctls = lookup(ctx, pod.spec, pod.path, ['securityContext', 'sysctls']);
      for (const { item, path } of itemsAt(ctx, sysctls.value, sysctls.path)) {
        const name = lookup(ctx, item, path, ['name']);
        const value = ctx.string(name.value, name.path) ?? '';
        if (!SAFE_SYSCTLS.has(value)) failures.push(fail(name.path, `sysctl ${value || '(unnamed)'} is not in the safe set: it is shared with the node or other pods`));
      }
      return passUnless(failures);
    }),
});
