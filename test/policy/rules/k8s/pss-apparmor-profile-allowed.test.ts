import rule from '../../../../lib/policy/rules/k8s/pss-apparmor-profile-allowed';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-006 AppArmor profile RuntimeDefault or Localhost', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template:
    metadata:
      labels: { app: model }
      annotations:
        container.apparmor.security.beta.kubernetes.io/sidecar: unconfined
        prometheus.io/scrape: "true"
    spec:
      securityContext: { appArmorProfile: { type: Unconfined } }
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { appArmorProfile: { type: RuntimeDefault } } }
        - { name: sidecar, image: registry.example.com/tools/logger:1.0 }
---
apiVersion: v1
kind: Pod
metadata:
  name: batch
  namespace: serving
  annotations: { container.apparmor.security.beta.kubernetes.io/job: localhost/k8s-batch }
spec:
  containers: [ { name: job, image: registry.example.com/jobs/batch:3.1 } ]
`);

  it('fails the pod-level profile and the unconfined annotation at their paths; reads a Pod\'s own annotations', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail', 'Pod/serving/batch': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/securityContext/appArmorProfile/type',
      'spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io/sidecar',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (no AppArmor settings)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
