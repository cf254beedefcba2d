import rule from '../../../../lib/policy/rules/k8s/pss-no-host-ports';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-004 no host ports', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Pod
metadata: { name: model, namespace: serving }
spec:
  containers:
    - name: server
      image: registry.example.com/models/churn:1.4.2
      ports: [ { containerPort: 8080 }, { containerPort: 8443, hostPort: 443 } ]
    - name: metrics
      image: registry.example.com/tools/exporter:2.0
      ports: [ { containerPort: 9090, hostPort: 9090 } ]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: model-abc, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template:
    metadata: { labels: { app: model } }
    spec:
      containers: [ { name: server, image: registry.example.com/models/churn:1.4.2, ports: [ { containerPort: 8080 } ] } ]
`);

  it('fails each hostPort of a YAML Pod at its path, passes a ReplicaSet without one', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Pod/serving/model': 'fail', 'ReplicaSet/serving/model-abc': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Pod/serving/model'))).toEqual(['spec/containers/0/ports/1/hostPort', 'spec/containers/1/ports/0/hostPort']);
  });

  it('passes cdk8s-plus-27 Deployments (container port only)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
