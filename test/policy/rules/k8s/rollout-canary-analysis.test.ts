import rule from '../../../../lib/policy/rules/k8s/rollout-canary-analysis';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-008 canary runs an analysis', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: churn, namespace: serving }
spec:
  workloadRef: { apiVersion: apps/v1, kind: Deployment, name: churn }
  strategy:
    canary:
      analysis:
        templates: [ { templateName: error-rate }, { templateName: drift-psi } ]
        startingStep: 1
        args: [ { name: service, value: churn-canary } ]
      steps: [ { setWeight: 10 }, { pause: { duration: 30m } } ]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: fraud, namespace: serving }
spec:
  workloadRef: { apiVersion: apps/v1, kind: Deployment, name: fraud }
  strategy:
    canary:
      steps: [ { setWeight: 10 }, { pause: { duration: 1h } }, { setWeight: 100 } ]
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: ranker, namespace: serving }
spec:
  workloadRef: { apiVersion: apps/v1, kind: Deployment, name: ranker }
  strategy:
    blueGreen: { activeService: ranker, previewService: ranker-preview, prePromotionAnalysis: { templates: [ { templateName: smoke } ] } }
`);

  it('passes background analysis, fails time-only promotion, does not judge blue-green', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Rollout/serving/churn': 'pass', 'Rollout/serving/fraud': 'fail', 'Rollout/serving/ranker': 'not-applicable' });
    expect(outcomesOn(rule, manifests, 'Rollout/serving/fraud')).toEqual([expect.objectContaining({ status: 'fail', path: 'spec/strategy/canary' })]);
  });
});
