import rule from '../../../../lib/policy/rules/k8s/pss-seccomp-not-unconfined';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-010 seccomp profile not Unconfined', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: batch/v1
kind: CronJob
metadata: { name: drift, namespace: monitoring }
spec:
  schedule: "*/30 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          securityContext: { seccompProfile: { type: Unconfined } }
          containers:
            - { name: psi, image: registry.example.com/jobs/drift:2.0, securityContext: { seccompProfile: { type: RuntimeDefault } } }
          initContainers:
            - { name: fetch, image: registry.example.com/jobs/fetch:1.0, securityContext: { seccompProfile: { type: Unconfined } } }
---
apiVersion: batch/v1
kind: Job
metadata: { name: once, namespace: monitoring }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [ { name: psi, image: registry.example.com/jobs/drift:2.0 } ]
`);

  it('fails the pod-level and init-container Unconfined of a YAML CronJob; baseline accepts no profile', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'CronJob/monitoring/drift': 'fail', 'Job/monitoring/once': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'CronJob/monitoring/drift'))).toEqual([
      'spec/jobTemplate/spec/template/spec/securityContext/seccompProfile/type',
      'spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/seccompProfile/type',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (baseline allows the unset profile plus-27 leaves)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
