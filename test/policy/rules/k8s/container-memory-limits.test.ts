import rule from '../../../../lib/policy/rules/k8s/container-memory-limits';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-001 memory limits on every container', () => {
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
      initContainers: [ { name: download, image: registry.example.com/tools/fetch:1.0, resources: { limits: { cpu: "1" } } } ]
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2, resources: { limits: { memory: 16Gi, nvidia.com/gpu: "1" } } }
        - { name: sidecar, image: registry.example.com/tools/logger:1.0 }
      ephemeralContainers: [ { name: debugger, image: busybox:1.36 } ]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: serving }
data: { threshold: "0.2" }
`);

  it('fails the containers without a memory limit, ignores ephemeral containers and non-workloads', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/1/resources/limits/memory',
      'spec/template/spec/initContainers/0/resources/limits/memory',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (plus-27 sets a 2048Mi limit)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
