import rule from '../../../../lib/policy/rules/k8s/rollout-canary-first-weight';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-007 canary first weight at most 25%', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: churn, namespace: serving }
spec:
  selector: { matchLabels: { app: churn } }
  template: { metadata: { labels: { app: churn } }, spec: { containers: [ { name: server, image: churn:1 } ] } }
  strategy:
    canary:
      canaryService: churn-canary
      stableService: churn-stable
      trafficRouting: { istio: { virtualService: { name: churn, routes: [primary] } } }
      steps:
        - setCanaryScale: { replicas: 1 }
        - setWeight: 10
        - pause: { duration: 30m }
        - setWeight: 50
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: fraud, namespace: serving }
spec:
  workloadRef: { apiVersion: apps/v1, kind: Deployment, name: fraud }
  strategy:
    canary:
      steps:
        - setWeight: 0
        - pause: {}
        - setWeight: 40
`);

  it('passes a 10% first step; fails a 40% first traffic step after a zero-weight one, at its path', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Rollout/serving/churn': 'pass', 'Rollout/serving/fraud': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Rollout/serving/fraud'))).toEqual(['spec/strategy/canary/steps/2/setWeight']);
  });
});
