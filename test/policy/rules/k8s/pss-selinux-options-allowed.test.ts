import rule from '../../../../lib/policy/rules/k8s/pss-selinux-options-allowed';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-008 SELinux options', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: log-agent, namespace: logging }
spec:
  selector: { matchLabels: { app: log-agent } }
  template:
    metadata: { labels: { app: log-agent } }
    spec:
      securityContext: { seLinuxOptions: { type: container_t, level: "s0:c1,c2" } }
      containers:
        - { name: agent, image: fluent/fluent-bit:3.1, securityContext: { seLinuxOptions: { type: spc_t, role: system_r } } }
        - { name: kvm, image: registry.example.com/tools/kvm:1.0, securityContext: { seLinuxOptions: { type: container_kvm_t } } }
`);

  it('fails the container type and role at their paths, accepts the pod-level container_t and container_kvm_t', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'DaemonSet/logging/log-agent': 'fail' });
    expect(failurePaths(outcomesOn(rule, manifests, 'DaemonSet/logging/log-agent'))).toEqual([
      'spec/template/spec/containers/0/securityContext/seLinuxOptions/type',
      'spec/template/spec/containers/0/securityContext/seLinuxOptions/role',
    ]);
  });

  it('passes cdk8s-plus-27 Deployments (no SELinux options)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
