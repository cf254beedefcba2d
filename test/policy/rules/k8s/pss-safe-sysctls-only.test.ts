import rule from '../../../../lib/policy/rules/k8s/pss-safe-sysctls-only';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-011 safe sysctls only', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: gateway, namespace: serving }
spec:
  selector: { matchLabels: { app: gateway } }
  template:
    metadata: { labels: { app: gateway } }
    spec:
      securityContext:
        sysctls:
          - { name: net.ipv4.tcp_keepalive_intvl, value: "15" }
          - { name: net.ipv4.ip_local_reserved_ports, value: "30000-30100" }
          - { name: vm.max_map_count, value: "262144" }
          - { name: net.ipv4.tcp_fin_timeout, value: "15" }
      containers: [ { name: gateway, image: envoyproxy/envoy:v1.31.0 } ]
`);

  it('fails only the unsafe sysctl of a YAML Deployment, at its path', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Deployment/serving/gateway': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'Deployment/serving/gateway'))).toEqual(['spec/template/spec/securityContext/sysctls/2/name']);
  });

  it('passes cdk8s-plus-27 Deployments (no sysctls)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
