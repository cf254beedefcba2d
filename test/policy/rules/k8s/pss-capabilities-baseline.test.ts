import rule from '../../../../lib/policy/rules/k8s/pss-capabilities-baseline';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-007 no capabilities beyond the default set', () => {
  itBehavesAsItsScenariosSay(rule);

  // What istioctl kube-inject renders without the Istio CNI: an init container that rewrites iptables.
  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template:
    metadata: { labels: { app: model } }
    spec:
      initContainers:
        - name: istio-init
          image: docker.io/istio/proxyv2:1.24.0
          securityContext: { capabilities: { add: [NET_ADMIN, NET_RAW], drop: [ALL] }, runAsUser: 0, runAsNonRoot: false }
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { capabilities: { add: [NET_BIND_SERVICE], drop: [ALL] } } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: model-cni, namespace: serving }
spec:
  selector: { matchLabels: { app: model-cni } }
  template:
    metadata: { labels: { app: model-cni } }
    spec:
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { capabilities: { add: [NET_BIND_SERVICE], drop: [ALL] } } }
`);

  it('fails the sidecar-injection init container at each added capability, passes the Istio CNI variant', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail', 'Deployment/serving/model-cni': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/initContainers/0/securityContext/capabilities/add/0',
      'spec/template/spec/initContainers/0/securityContext/capabilities/add/1',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (nothing added)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
