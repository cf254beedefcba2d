import { Chart, Testing } from 'cdk8s';
import { MeshSecurity } from '../../../constructs/k8s/mesh-security';
import { ModelServer } from '../../../constructs/k8s/model-server';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const app = Testing.app();
const chart = new Chart(app, 'Mesh');
const server = new ModelServer(chart, 'Server', { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE });
const mesh = new MeshSecurity(chart, 'Mesh', { server, callers: [{ namespace: 'payments', serviceAccount: 'checkout' }] });
mesh.allowFrom({ namespace: 'payments', serviceAccount: 'refunds' }, { namespace: 'istio-ingress', serviceAccount: 'istio-ingressgateway' });
mesh.allowFrom({ namespace: 'payments', serviceAccount: 'checkout' });
// A second model in the same namespace: the namespace already has its PeerAuthentication, and no caller yet.
const quiet = new ModelServer(chart, 'Quiet', { namespace: 'fraud', model: 'quiet', version: '1', image: IMAGE });
new MeshSecurity(chart, 'QuietMesh', { server: quiet, namespaceMtls: false, trustDomain: 'bank.example' });

const objects = Testing.synth(chart);

describe('MeshSecurity', () => {
  test('makes mTLS STRICT for the whole namespace', () => {
    expect(objectOf(objects, 'PeerAuthentication', 'default')).toEqual({
      apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'fraud' }, spec: { mtls: { mode: 'STRICT' } },
    });
  });

  test('allows only the named callers\' identities to reach the model\'s port, each once', () => {
    expect(objectOf(objects, 'AuthorizationPolicy', 'fraud-detection-callers').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detection' } },
      action: 'ALLOW',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/payments/sa/checkout', 'cluster.local/ns/payments/sa/refunds', 'cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }],
        to: [{ operation: { ports: ['8080'] } }],
      }],
    });
  });

  test('lets the callers\' namespaces through the default deny to the model\'s pods and port only', () => {
    const namespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: {} });
    expect(objectOf(objects, 'NetworkPolicy', 'fraud-detection-callers').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'fraud-detection' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [namespace('payments')], ports: [{ port: 8080, protocol: 'TCP' }] },
        { from: [namespace('istio-ingress')], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
    });
  });

  test('without callers, creates no allow policy; namespaceMtls: false leaves the PeerAuthentication to another', () => {
    expect(objects.filter((o) => o.metadata.name === 'quiet-callers')).toEqual([]);
    expect(objects.filter((o) => o.kind === 'PeerAuthentication')).toHaveLength(1);
  });

  test('principals use the trust domain', () => {
    expect(mesh.principals[0]).toBe('cluster.local/ns/payments/sa/checkout');
  });

  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects.filter((o) => ['PeerAuthentication', 'AuthorizationPolicy', 'NetworkPolicy'].includes(o.kind))).toMatchSnapshot();
  });

  test('fails if a caller is not named by an RFC 1123 namespace and service account', () => {
    const error = errorOf(() => mesh.allowFrom({ namespace: 'Payments', serviceAccount: 'check_out' }));
    expect(error.problems.map((p) => p.path)).toEqual(['Mesh/Mesh:allowFrom(callers[0].namespace)', 'Mesh/Mesh:allowFrom(callers[0].serviceAccount)']);
    expect(error.message).toContain("received 'Payments'; allowed: an RFC 1123 label");
  });

  test('fails if the trust domain is not a DNS name', () => {
    const scope = Testing.chart();
    const target = new ModelServer(scope, 'Server', { namespace: 'fraud', model: 'm', version: '1', image: IMAGE });
    expect(errorOf(() => new MeshSecurity(scope, 'Mesh', { server: target, trustDomain: 'spiffe://bank' })).message)
      .toContain("test/Mesh:trustDomain: received 'spiffe://bank'; allowed: a DNS name");
  });
});
