import { defineRule, fail, RuleOutcome } from '../../rule';
import { onPodTemplate, volumesOf, WORKLOAD_TYPES } from './pod-spec';
import { passUnless, pssReferences } from './pss';
import { deployment, podSpec, ROLLOUT_WITH_WORKLOAD_REF } from './scenario-objects';

/** The volume sources restricted allows: none of them reaches the node or a storage backend outside the cluster's control. */
const ALLOWED_SOURCES = new Set(['configMap', 'downwardAPI', 'emptyDir', 'projected', 'secret', 'csi', 'persistentVolumeClaim', 'ephemeral', 'image']);

const withVolumes = (volumes: unknown) => deployment(podSpec({ volumes }));

/** MLOPS-PSS-013 (restricted `restrictedVolumes`): only the volume types restricted allows. */
export default defineRule({
  id: 'MLOPS-PSS-013',
  title: 'Only restricted volume types (Pod Security Standards restricted: restrictedVolumes)',
  resourceTypes: WORKLOAD_TYPES,
  severity: 'medium',
  themes: ['PSS'],
  acknowledgeable: true,
  rationale:
    'Inline volume sources (hostPath, nfs, iscsi, awsElasticBlockStore, gitRepo, ...) mount storage chosen by whoever ' +
    'writes the pod, bypassing StorageClasses, their encryption settings and the PersistentVolume access controls; ' +
    'gitRepo even runs git on the node.',
  fix:
    `Use only ${[...ALLOWED_SOURCES].join(', ')} volumes; reach other storage through a PersistentVolumeClaim of an encrypted ` +
    'StorageClass or a CSI driver. cdk8s-plus-27: Volume.fromEmptyDir, fromConfigMap, fromSecret, fromPersistentVolumeClaim, fromCsi. ' +
    'Kubernetes field: spec.template.spec.volumes[*].',
  references: pssReferences('restrictedVolumes'),
  scenarios: [
    {
      name: 'emptyDir, projected token, PVC and CSI',
      expect: 'pass',
      resource: withVolumes([
        { name: 'cache', emptyDir: { sizeLimit: '10Gi' } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        { name: 'models', persistentVolumeClaim: { claimName: 'models' } },
        { name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } },
      ]),
    },
    { name: 'volume without a source (defaults to emptyDir)', expect: 'pass', resource: withVolumes([{ name: 'scratch' }]) },
    { name: 'NFS volume', expect: 'fail', resource: withVolumes([{ name: 'data', nfs: { server: 'fs.example.com', path: '/exports/data' } }]) },
    { name: 'awsElasticBlockStore inline volume', expect: 'fail', resource: withVolumes([{ name: 'data', awsElasticBlockStore: { volumeID: 'vol-0123456789abcdef0' } }]) },
    { name: 'volume that is a string', expect: 'unresolvable', resource: withVolumes(['{{ .Values.volume }}']) },
    { name: 'Rollout with workloadRef', expect: 'not-applicable', resource: ROLLOUT_WITH_WORKLOAD_REF },
  ],
  evaluate: (workload, ctx) =>
    onPodTemplate(workload, ctx, (pod) => {
      const failures: RuleOutcome[] = [];
      for (const v of volumesOf(ctx, pod)) {
        const sources = Object.keys(v.volume).filter((key) => key !== 'name' && !ctx.isAbsent(v.volume[key]));
        if (sources.length === 0 || sources.some((s) => ALLOWED_SOURCES.has(s))) continue;
        failures.push(fail(`${v.path}/${sources[0]}`, `volume "${v.name}" uses ${sources[0]}, a volume type restricted does not allow`));
      }
      return passUnless(failures);
    }),
});
