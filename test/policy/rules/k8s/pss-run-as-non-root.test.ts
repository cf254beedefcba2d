import rule from '../../../../lib/policy/rules/k8s/pss-run-as-non-root';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-015 runAsNonRoot', () => {
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
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { runAsNonRoot: true } }
        - { name: sidecar, image: registry.example.com/tools/logger:1.0 }
      ephemeralContainers:
        - { name: debugger, image: busybox:1.36, securityContext: { runAsNonRoot: false } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: model-ok, namespace: serving }
spec:
  selector: { matchLabels: { app: model-ok } }
  template:
    metadata: { labels: { app: model-ok } }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2 }
        - { name: sidecar, image: registry.example.com/tools/logger:1.0 }
`);

  it('fails the container without it (no pod level) and the ephemeral one set false; pod level covers unset containers', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail', 'Deployment/serving/model-ok': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/1/securityContext/runAsNonRoot',
      'spec/template/spec/ephemeralContainers/0/securityContext/runAsNonRoot',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (plus-27 sets runAsNonRoot on pod and container)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
