import rule from '../../../../lib/policy/rules/k8s/pss-seccomp-profile-required';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-017 seccomp profile RuntimeDefault or Localhost', () => {
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
      initContainers: [ { name: warmup, image: registry.example.com/tools/warmup:1.0, securityContext: { seccompProfile: { type: RuntimeDefault } } } ]
      containers: [ { name: server, image: registry.example.com/models/churn:1.4.2 } ]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: model-pod-level, namespace: serving }
spec:
  selector: { matchLabels: { app: model-pod-level } }
  template:
    metadata: { labels: { app: model-pod-level } }
    spec:
      securityContext: { seccompProfile: { type: RuntimeDefault } }
      containers: [ { name: server, image: registry.example.com/models/churn:1.4.2 } ]
`);

  it('fails the container left without a profile when the pod sets none; a pod-level profile covers all', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail', 'Deployment/serving/model-pod-level': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual(['spec/template/spec/containers/0/securityContext/seccompProfile/type']);
  });

  it('fails a default cdk8s-plus-27 Deployment (plus-27 emits no seccompProfile) and passes the patched one', () => {
    const plus27 = kplusDocument();
    expect(verdictsOnDocument(rule, plus27)).toEqual({ [KPLUS_DEFAULT]: 'fail', [KPLUS_PATCHED]: 'pass' });
    expect(failurePaths(outcomesOn(rule, plus27, KPLUS_DEFAULT))).toEqual(['spec/template/spec/containers/0/securityContext/seccompProfile/type']);
  });
});
