import rule from '../../../../lib/policy/rules/k8s/image-no-latest-tag';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-003 no latest or missing tag', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Pod
metadata: { name: model, namespace: serving }
spec:
  initContainers: [ { name: init, image: busybox } ]
  containers:
    - { name: server, image: "localhost:5000/models/churn:latest" }
    - { name: pinned, image: "registry.example.com/tools/x:latest@sha256:${'0f'.repeat(32)}" }
    - { name: versioned, image: "localhost:5000/tools/y:2.1" }
`);

  it('fails the latest tag and the untagged image, accepts a digest whatever its tag and a registry port', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Pod/serving/model': 'fail' });
    expect(outcomesOn(rule, manifests, 'Pod/serving/model')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'spec/containers/0/image', message: expect.stringContaining('latest tag') }),
      expect.objectContaining({ status: 'fail', path: 'spec/initContainers/0/image', message: expect.stringContaining('has no tag') }),
    ]);
  });

  it('passes cdk8s-plus-27 Deployments given a digest', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
