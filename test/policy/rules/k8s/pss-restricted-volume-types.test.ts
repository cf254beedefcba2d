import rule from '../../../../lib/policy/rules/k8s/pss-restricted-volume-types';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-013 restricted volume types', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: trainer, namespace: training }
spec:
  serviceName: trainer
  selector: { matchLabels: { app: trainer } }
  template:
    metadata: { labels: { app: trainer } }
    spec:
      containers: [ { name: trainer, image: registry.example.com/train:5.0 } ]
      volumes:
        - { name: scratch, ephemeral: { volumeClaimTemplate: { spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 100Gi } } } } } }
        - { name: weights, image: { reference: "registry.example.com/weights:7b", pullPolicy: IfNotPresent } }
        - { name: datasets, nfs: { server: fs-0123.efs.eu-west-1.amazonaws.com, path: / } }
        - { name: repo, gitRepo: { repository: "https://example.com/repo.git" } }
`);

  it('fails nfs and gitRepo at their paths, accepts ephemeral and image volumes', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'StatefulSet/training/trainer': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'StatefulSet/training/trainer'))).toEqual([
      'spec/template/spec/volumes/2/nfs',
      'spec/template/spec/volumes/3/gitRepo',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (no volumes by default)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
