import rule from '../../../../lib/policy/rules/k8s/pss-no-host-path-volumes';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, KPLUS_DEFAULT, KPLUS_PATCHED, kplusDocument, outcomesOn, yamlDocument } from './k8s-fixtures';

describe('MLOPS-PSS-003 no hostPath volumes', () => {
  itBehavesAsItsScenariosSay(rule);

  const manifests = yamlDocument(`
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: nvidia-device-plugin, namespace: gpu-operator }
spec:
  selector: { matchLabels: { app: nvdp } }
  template:
    metadata: { labels: { app: nvdp } }
    spec:
      containers: [ { name: plugin, image: nvcr.io/nvidia/k8s-device-plugin:v0.17.0 } ]
      volumes:
        - { name: cache, emptyDir: {} }
        - { name: device-plugin, hostPath: { path: /var/lib/kubelet/device-plugins } }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: feature-store, namespace: serving }
spec:
  serviceName: feature-store
  selector: { matchLabels: { app: fs } }
  template:
    metadata: { labels: { app: fs } }
    spec:
      containers: [ { name: redis, image: redis:7.4 } ]
      volumes: [ { name: data, persistentVolumeClaim: { claimName: data } } ]
`);

  it('fails the hostPath volume of a YAML DaemonSet at its path, passes a StatefulSet on a PVC', () => {
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'DaemonSet/gpu-operator/nvidia-device-plugin': 'fail', 'StatefulSet/serving/feature-store': 'pass' });
    expect(failurePaths(outcomesOn(rule, manifests, 'DaemonSet/gpu-operator/nvidia-device-plugin'))).toEqual(['spec/template/spec/volumes/1/hostPath']);
  });

  it('passes cdk8s-plus-27 Deployments (no volumes by default)', () => {
    expect(verdictsOnDocument(rule, kplusDocument())).toEqual({ [KPLUS_DEFAULT]: 'pass', [KPLUS_PATCHED]: 'pass' });
  });
});
