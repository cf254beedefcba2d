import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { kubernetesDocument } from '../../../../lib/policy/document';
import rule from '../../../../lib/policy/rules/k8s/pss-run-as-user-not-root';
import { PINNED_IMAGE } from '../../../../lib/policy/rules/k8s/scenario-objects';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-016 runAsUser not 0', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: ReplicationController
metadata: { name: legacy, namespace: serving }
spec:
  selector: { app: legacy }
  template:
    metadata: { labels: { app: legacy } }
    spec:
      securityContext: { runAsUser: 0 }
      containers:
        - { name: app, image: registry.example.com/legacy:0.9, securityContext: { runAsUser: 1000 } }
        - { name: helper, image: registry.example.com/helper:0.9, securityContext: { runAsUser: 0 } }
`);

  it('fails the pod-level and container UID 0 of a YAML ReplicationController', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'ReplicationController/serving/legacy': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'ReplicationController/serving/legacy'))).toEqual([
      'spec/template/spec/securityContext/runAsUser',
      'spec/template/spec/containers/1/securityContext/runAsUser',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (no runAsUser emitted), fails one given user 0', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
    const chart = new Chart(Testing.app(), 'root', { namespace: 'serving' });
    new kplus.Deployment(chart, 'AsRoot', {
      metadata: { name: 'as-root' },
      containers: [{ image: PINNED_IMAGE, securityContext: { user: 0, ensureNonRoot: false } }],
    });
    const document = kubernetesDocument(Testing.synth(chart), 'root');
    expect(failurePaths(outcomesOn(rule, document, 'Deployment/serving/as-root'))).toEqual(['spec/template/spec/containers/0/securityContext/runAsUser']);
  });
});
