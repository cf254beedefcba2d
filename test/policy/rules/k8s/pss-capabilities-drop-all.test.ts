import rule from '../../../../lib/policy/rules/k8s/pss-capabilities-drop-all';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-018 capabilities drop ALL, add only NET_BIND_SERVICE', () => {
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
        - { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] } } }
        - { name: sniffer, image: registry.example.com/tools/tcpdump:4.99, securityContext: { capabilities: { drop: [ALL], add: [NET_RAW, NET_ADMIN] } } }
      initContainers:
        - { name: chown, image: busybox:1.36, securityContext: { capabilities: { drop: [NET_RAW] } } }
`);

  it('fails each forbidden addition and the init container that does not drop ALL, at their paths', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/1/securityContext/capabilities/add/0',
      'spec/template/spec/containers/1/securityContext/capabilities/add/1',
      'spec/template/spec/initContainers/0/securityContext/capabilities/drop',
    ]);
  });

  it('fails a default cdk8s-plus-27 Deployment (plus-27 drops nothing) and passes one with drop ["ALL"]', () => {
    const plus27 = kplusDocument();
    expect(verdictsOnDocument(rule, plus27)).toEqual({ [KPLUS_DEFAULT]: 'fail', [KPLUS_PATCHED]: 'pass' });
    expect(failurePaths(outcomesOn(rule, plus27, KPLUS_DEFAULT))).toEqual(['spec/template/spec/containers/0/securityContext/capabilities/drop']);
  });
});
