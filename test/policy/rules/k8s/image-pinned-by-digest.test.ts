import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { kubernetesDocument } from '../../../../lib/policy/document';
import rule from '../../../../lib/policy/rules/k8s/image-pinned-by-digest';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

const DIGEST = `sha256:${'a1b2c3d4'.repeat(8)}`;

describe('MLOPS-K8S-002 images pinned by digest', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template:
    metadata: { labels: { app: model } }
    spec:
      initContainers: [ { name: download, image: "registry.example.com/tools/fetch@${DIGEST}" } ]
      containers:
        - { name: server, image: "registry.example.com/models/churn:1.4.2@${DIGEST}" }
        - { name: sidecar, image: "registry.example.com/tools/logger:1.0" }
        - { name: uppercase, image: "registry.example.com/tools/x@${DIGEST.toUpperCase().replace('SHA256', 'sha256')}" }
`);

  it('fails the tag-only and malformed-digest images at their paths', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/1/image',
      'spec/template/spec/containers/2/image',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments given a digest, fails one given a tag', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
    const chart = new Chart(Testing.app(), 'tagged', { namespace: 'serving' });
    new kplus.Deployment(chart, 'Tagged', { metadata: { name: 'tagged' }, containers: [{ image: 'registry.example.com/models/churn:1.4.2' }] });
    expect(verdictsOnDocument(rule, kubernetesDocument(Testing.synth(chart), 'tagged'))).toEqual({ 'Deployment/serving/tagged': 'fail' });
  });
});
