import * as kplus from 'cdk8s-plus-27';
import { Chart, Testing } from 'cdk8s';
import { kubernetesDocument } from '../../../../lib/policy/document';
import rule from '../../../../lib/policy/rules/k8s/namespace-pss-restricted-label';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-K8S-005 namespaces enforce restricted', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: v1
kind: Namespace
metadata:
  name: serving
  labels: { pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: v1.34 }
---
apiVersion: v1
kind: Namespace
metadata:
  name: gpu-operator
  labels: { pod-security.kubernetes.io/enforce: privileged }
---
apiVersion: v1
kind: Namespace
metadata:
  name: experiments
  labels: { pod-security.kubernetes.io/audit: restricted, pod-security.kubernetes.io/warn: restricted }
`);

  it('passes restricted, fails privileged and audit/warn-only namespaces at the enforce label', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Namespace/serving': 'pass', 'Namespace/gpu-operator': 'fail', 'Namespace/experiments': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Namespace/experiments'))).toEqual(['metadata/labels/pod-security.kubernetes.io/enforce']);
  });

  it('reads labels set on a cdk8s-plus-27 Namespace', () => {
    const chart = new Chart(Testing.app(), 'ns');
    new kplus.Namespace(chart, 'Serving', { metadata: { name: 'serving', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    new kplus.Namespace(chart, 'Plain', { metadata: { name: 'plain' } });
    expect(verdictsOnDocument(rule, kubernetesDocument(Testing.synth(chart), 'ns'))).toEqual({ 'Namespace/serving': 'pass', 'Namespace/plain': 'fail' });
  });
});
