import rule from '../../../../lib/policy/rules/k8s/destination-rule-mutual-tls';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-009 DestinationRule mutual TLS', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: churn, namespace: serving }
spec:
  host: churn.serving.svc.cluster.local
  trafficPolicy: { tls: { mode: ISTIO_MUTUAL } }
  subsets:
    - { name: stable, labels: { track: stable } }
    - { name: canary, labels: { track: canary }, trafficPolicy: { tls: { mode: ISTIO_MUTUAL } } }
---
apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata: { name: fraud, namespace: serving }
spec:
  host: fraud.serving.svc.cluster.local
  trafficPolicy:
    tls: { mode: ISTIO_MUTUAL }
    portLevelSettings: [ { port: { number: 9090 }, tls: { mode: DISABLE } } ]
  subsets:
    - name: canary
      labels: { track: canary }
      trafficPolicy: { portLevelSettings: [ { port: { number: 8080 }, tls: { mode: SIMPLE } } ] }
`);

  it('passes ISTIO_MUTUAL subsets, fails each weakened port at its path (v1alpha3 included)', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'DestinationRule/serving/churn': 'pass', 'DestinationRule/serving/fraud': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'DestinationRule/serving/fraud'))).toEqual([
      'spec/trafficPolicy/portLevelSettings/0/tls/mode',
      'spec/subsets/0/trafficPolicy/portLevelSettings/0/tls/mode',
    ]);
  });
});
