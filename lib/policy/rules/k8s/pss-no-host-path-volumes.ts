import { defineRule, fail, RuleOutcome } from '../../rule';
import { lookup, onPodTemplate, volumesOf, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { cronJob, deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** MLOPS-PSS-003 (baseline `hostPathVolumes`): no hostPath volumes. */
export default defineRule({
  id: 'MLOPS-PSS-003',
  title: 'No hostPath volumes (Pod Security Standards baseline: hostPathVolumes)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'high',
  themes: ['PSS', 'IAM'],
  acknowledgeable: true,
  rationale:
    'A hostPath volume mounts a directory of the node into the pod: the kubelet credentials, the container runtime ' +
    'socket, other pods\' volumes and logs. A writable mount of / or /var/run is a complete node takeover; even a ' +
    'read-only one leaks secrets of other workloads.',
  fix:
    'Replace hostPath volumes with emptyDir (scratch, model caches), a PersistentVolumeClaim or a CSI volume. In cdk8s-plus-27 ' +
    'use Volume.fromEmptyDir / Volume.fromPersistentVolumeClaim instead of Volume.fromHostPath; the Kubernetes field is ' +
    'spec.template.spec.volumes[*].hostPath. Node daemons that need the host filesystem run in a separately labelled namespace ' +
    'with an acknowledgment.',
  references: pssReferences('hostPathVolumes'),
  scenarios: [
    { name: 'emptyDir and secret volumes', expect: 'pass', resource: deployment(podSpec({ volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'tls', secret: { secretName: 'tls' } }] })) },
    { name: 'hostPath to the container runtime socket', expect: 'fail', resource: deployment(podSpec({ volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] })) },
    { name: 'hostPath in a CronJob', expect: 'fail', resource: cronJob(podSpec({ volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }] })) },
    { name: 'volumes from an unrendered Helm value', expect: 'unresolvable', resource: deployment(podSpec({ volumes: '{{ .Values.volumes }}' })) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const v of volumesOf(ctx, pod)) {
        if (!ctx.isPresent(v.volume.hostPath, `${v.path}/hostPath`)) continue;
        const hostPath = lookup(ctx, v.volume, v.path, ['hostPath', 'path']);
        failures.push(fail(`${v.path}/hostPath`, `volume "${v.name}" mounts the node's ${ctx.string(hostPath.value, hostPath.path) ?? 'filesystem'} (hostPath)`));
      }
      return passUnless(failures);
    }),
});
