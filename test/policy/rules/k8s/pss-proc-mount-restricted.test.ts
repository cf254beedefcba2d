import rule from '../../../../lib/policy/rules/k8s/pss-proc-mount-restricted';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-019 procMount Default (restricted, no user-namespace relaxation)', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  strategy: { canary: { steps: [ { setWeight: 10 } ] } }
  template:
    metadata: { labels: { app: model } }
    spec:
      hostUsers: false
      containers: [ { name: server, image: registry.example.com/models/churn:1.4.2, securityContext: { procMount: Unmasked } } ]
      ephemeralContainers: [ { name: debugger, image: busybox:1.36, securityContext: { procMount: Unmasked } } ]
`);

  it('fails a user-namespaced YAML Rollout at each container, ephemeral ones included', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Rollout/serving/model': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Rollout/serving/model'))).toEqual([
      'spec/template/spec/containers/0/securityContext/procMount',
      'spec/template/spec/ephemeralContainers/0/securityContext/procMount',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (no procMount)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
