import baseline from '../../../../lib/policy/rules/k8s/pss-proc-mount-default';
import restricted from '../../../../lib/policy/rules/k8s/pss-proc-mount-restricted';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-009 procMount Default (baseline)', () => {
  itBehavesAsItsScenariosSay(baseline);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Pod
metadata: { name: builder, namespace: ci }
spec:
  hostUsers: false
  containers: [ { name: buildkit, image: moby/buildkit:v0.16.0-rootless, securityContext: { procMount: Unmasked } } ]
---
apiVersion: v1
kind: Pod
metadata: { name: builder-root, namespace: ci }
spec:
  initContainers: [ { name: prepare, image: busybox:1.36, securityContext: { procMount: Unmasked } } ]
  containers: [ { name: buildkit, image: moby/buildkit:v0.16.0, securityContext: { procMount: Default } } ]
`);

  it('relaxes a user-namespaced YAML Pod, fails the init container of the other at its path', () => {
    expect(verdictsOnDocument(baseline, manifests)).toEqual({ 'Pod/ci/builder': 'pass', 'Pod/ci/builder-root': 'fail' });
    expect(failurePaths(outcomesOn(baseline, manifests, 'Pod/ci/builder-root'))).toEqual(['spec/initContainers/0/securityContext/procMount']);
  });

  it('differs from the restricted check (MLOPS-PSS-019) only on the user-namespaced pod', () => {
    expect(verdictsOnDocument(restricted, manifests)).toEqual({ 'Pod/ci/builder': 'fail', 'Pod/ci/builder-root': 'fail' });
  });

  it('passes cdk8s-plus-27 Deployments (no procMount)', () => {
    expect(verdictsOnDocument(baseline, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
