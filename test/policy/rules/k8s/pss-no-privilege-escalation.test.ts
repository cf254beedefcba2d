import rule from '../../../../lib/policy/rules/k8s/pss-no-privilege-escalation';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-014 allowPrivilegeEscalation false', () => {
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
      initContainers: [ { name: warmup, image: registry.example.com/tools/warmup:1.0, securityContext: { allowPrivilegeEscalation: false } } ]
      containers:
        - { name: server, image: registry.example.com/models/churn:1.4.2 }
        - { name: proxy, image: registry.example.com/tools/proxy:2.0, securityContext: { allowPrivilegeEscalation: true } }
`);

  it('fails the unset and the true container of a YAML Deployment at their paths', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
      'spec/template/spec/containers/1/securityContext/allowPrivilegeEscalation',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (plus-27 emits allowPrivilegeEscalation: false)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
