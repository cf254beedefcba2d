import rule from '../../../../lib/policy/rules/k8s/pss-no-host-namespaces';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-002 no host namespaces', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: node-exporter, namespace: monitoring }
spec:
  selector: { matchLabels: { app: node-exporter } }
  template:
    metadata: { labels: { app: node-exporter } }
    spec:
      hostNetwork: true
      hostPID: true
      hostIPC: false
      containers: [ { name: exporter, image: quay.io/prometheus/node-exporter:v1.8.2 } ]
---
apiVersion: batch/v1
kind: Job
metadata: { name: backfill, namespace: serving }
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [ { name: backfill, image: busybox:1.36 } ]
`);

  it('fails each shared namespace of a YAML DaemonSet at its own path, passes a Job', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'DaemonSet/monitoring/node-exporter': 'fail', 'Job/serving/backfill': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'DaemonSet/monitoring/node-exporter'))).toEqual(['spec/template/spec/hostNetwork', 'spec/template/spec/hostPID']);
  });

  it('passes cdk8s-plus-27 Deployments (plus-27 emits hostNetwork: false)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
