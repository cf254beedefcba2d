import rule from '../../../../lib/policy/rules/k8s/pss-no-windows-host-process';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-012 no Windows HostProcess', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: win-exporter, namespace: monitoring }
spec:
  selector: { matchLabels: { app: win-exporter } }
  template:
    metadata: { labels: { app: win-exporter } }
    spec:
      os: { name: windows }
      hostNetwork: true
      securityContext: { windowsOptions: { hostProcess: true, runAsUserName: "NT AUTHORITY\\\\system" } }
      containers:
        - { name: exporter, image: ghcr.io/prometheus-community/windows-exporter:0.29.0, securityContext: { windowsOptions: { hostProcess: true } } }
`);

  it('fails the pod-level and container-level hostProcess of a YAML DaemonSet', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'DaemonSet/monitoring/win-exporter': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'DaemonSet/monitoring/win-exporter'))).toEqual([
      'spec/template/spec/securityContext/windowsOptions/hostProcess',
      'spec/template/spec/containers/0/securityContext/windowsOptions/hostProcess',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
