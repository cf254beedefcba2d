import rule from '../../../../lib/policy/rules/k8s/pss-no-host-probes-or-lifecycle-hosts';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-005 probes and lifecycle handlers set no host', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template:
    metadata: { labels: { app: model } }
    spec:
      containers:
        - name: server
          image: registry.example.com/models/churn:1.4.2
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
          livenessProbe: { tcpSocket: { host: 10.0.0.1, port: 22 } }
          lifecycle:
            postStart: { httpGet: { host: 169.254.169.254, path: /latest/api/token, port: 80 } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: gateway, namespace: serving }
spec:
  selector: { matchLabels: { app: gateway } }
  template:
    metadata: { labels: { app: gateway } }
    spec:
      containers:
        - { name: gateway, image: envoyproxy/envoy:v1.31.0, livenessProbe: { httpGet: { host: "", path: /healthz, port: 9901 } } }
`);

  it('fails each probe or hook with a host at its path, passes an empty host', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/model': 'fail', 'Deployment/serving/gateway': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/model'))).toEqual([
      'spec/template/spec/containers/0/livenessProbe/tcpSocket/host',
      'spec/template/spec/containers/0/lifecycle/postStart/httpGet/host',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (the default startupProbe has no host)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
