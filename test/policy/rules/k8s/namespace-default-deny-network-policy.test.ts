import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { kubernetesDocument } from '../../../../lib/policy/document';
import rule from '../../../../lib/policy/rules/k8s/namespace-default-deny-network-policy';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-004 default-deny NetworkPolicy per namespace', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Namespace
metadata: { name: serving }
---
apiVersion: v1
kind: Namespace
metadata: { name: monitoring }
---
apiVersion: v1
kind: Namespace
metadata: { name: batch }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: serving }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: serving }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [ { to: [ { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } } ], ports: [ { port: 53, protocol: UDP } ] } ]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: scrape, namespace: monitoring }
spec:
  podSelector: { matchLabels: { app: prometheus } }
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all-egress, namespace: monitoring }
spec: { podSelector: {}, policyTypes: [Ingress, Egress], egress: [ {} ] }
`);

  it('passes the namespace with a deny-all (beside allow policies), explains the others', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Namespace/serving': 'pass', 'Namespace/monitoring': 'fail', 'Namespace/batch': 'fail' });
    expect(outcomesOn(rule, manifests, 'Namespace/monitoring')).toEqual([
      {
        status: 'fail',
        path: '',
        message:
          'no default-deny NetworkPolicy in namespace monitoring: NetworkPolicy scrape selects only some pods (its podSelector is not {}); ' +
          'NetworkPolicy allow-all-egress has egress rules, so it allows traffic rather than denying all of it',
      },
    ]);
  });

  it('passes a cdk8s-plus-27 NetworkPolicy denying both directions, fails the plus-27 default (ingress only)', () => {
    const serving = new Chart(Testing.app(), 'serving');
    new kplus.Namespace(serving, 'Ns', { metadata: { name: 'serving' } });
    new kplus.NetworkPolicy(serving, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace: 'serving' },
      selector: kplus.Pods.all(serving, 'All'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    new kplus.Namespace(serving, 'Batch', { metadata: { name: 'batch' } });
    new kplus.NetworkPolicy(serving, 'BatchDefault', { metadata: { name: 'default', namespace: 'batch' } });
    const document = kubernetesDocument(Testing.synth(serving), 'plus27');
    expect(verdictsOnDocument(rule, document)).toEqual({ 'Namespace/serving': 'pass', 'Namespace/batch': 'fail' });
    expect(outcomesOn(rule, document, 'Namespace/batch')).toEqual([expect.objectContaining({ message: expect.stringContaining('does not apply to Egress (policyTypes Ingress)') })]);
  });
});
