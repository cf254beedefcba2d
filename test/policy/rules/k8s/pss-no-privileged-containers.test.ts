import rule from '../../../../lib/policy/rules/k8s/pss-no-privileged-containers';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-001 no privileged containers', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Namespace
metadata: { name: gpu-operator }
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: dcgm-exporter, namespace: gpu-operator }
spec:
  selector: { matchLabels: { app: dcgm } }
  template:
    metadata: { labels: { app: dcgm } }
    spec:
      initContainers:
        - { name: toolkit-validation, image: nvcr.io/nvidia/cuda:12.4.1-base, securityContext: { privileged: true } }
      containers:
        - { name: exporter, image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5, securityContext: { privileged: true } }
---
apiVersion: v1
kind: Pod
metadata: { name: debug, namespace: serving }
spec:
  containers:
    - { name: shell, image: busybox:1.36 }
---
apiVersion: v1
kind: PodTemplate
metadata: { name: debug-template, namespace: serving }
template:
  spec:
    ephemeralContainers: [ { name: debugger, image: busybox:1.36, securityContext: { privileged: true } } ]
    containers: [ { name: shell, image: busybox:1.36 } ]
`);

  it('fails each privileged container of a YAML DaemonSet and PodTemplate at its own path, passes a plain Pod', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({
      'DaemonSet/gpu-operator/dcgm-exporter': 'fail',
      'Pod/serving/debug': 'pass',
      'PodTemplate/serving/debug-template': 'fail',
    });
    expect(failurePaths(outcomesOn(rule, manifests, 'PodTemplate/serving/debug-template'))).toEqual(['template/spec/ephemeralContainers/0/securityContext/privileged']);
    expect(failurePaths(outcomesOn(rule, manifests, 'DaemonSet/gpu-operator/dcgm-exporter'))).toEqual([
      'spec/template/spec/containers/0/securityContext/privileged',
      'spec/template/spec/initContainers/0/securityContext/privileged',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (plus-27 emits privileged: false)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
