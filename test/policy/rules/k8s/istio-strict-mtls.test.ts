import rule from '../../../../lib/policy/rules/k8s/istio-strict-mtls';
import { itBehavesAsItsScenariosSay, verdictsOnDocument } from '../../rule-harness';
import { failurePaths, outcomesOn, yamlDocument } from './k8s-fixtures';

const WORKLOADS = `
apiVersion: v1
kind: Namespace
metadata: { name: serving }
---
apiVersion: v1
kind: Namespace
metadata: { name: batch }
---
apiVersion: v1
kind: Namespace
metadata: { name: empty }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: model, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  template: { metadata: { labels: { app: model } }, spec: { containers: [ { name: server, image: model:1 } ] } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: drift, namespace: batch }
spec:
  schedule: "@hourly"
  jobTemplate: { spec: { template: { spec: { restartPolicy: Never, containers: [ { name: psi, image: drift:1 } ] } } } }
`;

describe('MLOPS-K8S-006 STRICT mTLS where Istio is used', () => {
  itBehavesAsItsScenariosSay(rule);

  it('is not applicable to any namespace of a document without Istio objects', () => {
    expect(verdictsOnDocument(rule, yamlDocument(WORKLOADS))).toEqual({ 'Namespace/serving': 'not-applicable', 'Namespace/batch': 'not-applicable', 'Namespace/empty': 'not-applicable' });
  });

  it('covers namespaces by the mesh-wide default, and fails one a namespace policy weakens', () => {
    const manifests = yamlDocument(`${WORKLOADS}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: { name: default, namespace: batch }
spec: { mtls: { mode: PERMISSIVE } }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: metrics, namespace: serving }
spec:
  selector: { matchLabels: { app: model } }
  mtls: { mode: STRICT }
  portLevelMtls: { "9090": { mode: PERMISSIVE } }
`);
    expect(verdictsOnDocument(rule, manifests)).toEqual({
      'Namespace/serving': 'pass',
      'Namespace/batch': 'fail',
      'Namespace/empty': 'not-applicable',
      'PeerAuthentication/istio-system/default': 'pass',
      'PeerAuthentication/batch/default': 'fail',
      'PeerAuthentication/serving/metrics': 'fail',
    });
    expect(failurePaths(outcomesOn(rule, manifests, 'PeerAuthentication/serving/metrics'))).toEqual(['spec/portLevelMtls/9090/mode']);
    expect(outcomesOn(rule, manifests, 'PeerAuthentication/batch/default')).toEqual([
      { status: 'fail', path: 'spec/mtls/mode', message: 'mtls mode PERMISSIVE lets every workload of namespace batch accept plaintext' },
    ]);
  });

  it('fails workload namespaces when the only Istio object is a VirtualService', () => {
    const manifests = yamlDocument(`${WORKLOADS}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: model, namespace: serving }
spec: { hosts: [model], http: [ { route: [ { destination: { host: model } } ] } ] }
`);
    expect(verdictsOnDocument(rule, manifests)).toEqual({ 'Namespace/serving': 'fail', 'Namespace/batch': 'fail', 'Namespace/empty': 'not-applicable' });
  });
});
