import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NamespaceBaseline, NamespaceBaselineProps } from '../../../constructs/k8s/namespace-baseline';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, objectOf } from './k8s-test-helpers';

const app = Testing.app();
const chart = new Chart(app, 'Baseline');
new NamespaceBaseline(chart, 'Fraud', { name: 'fraud' });
new NamespaceBaseline(chart, 'Churn', {
  name: 'churn', podSecurityVersion: 'v1.34', istioRevision: 'canary-1-27', dnsNamespace: 'dns', istioNamespace: 'mesh', prometheusNamespace: 'observability',
  quota: { requestsCpu: 8, gpus: 2 }, containerDefaults: { cpuLimit: kplus.Cpu.units(2), memoryRequest: Size.mebibytes(512) },
});

const objects = Testing.synth(chart);
const inFraud = objects.filter((o) => o.kind === 'Namespace' ? o.metadata.name === 'fraud' : o.metadata.namespace === 'fraud');
const policy = (name: string, namespace = 'fraud') => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name && o.metadata.namespace === namespace).spec;

describe('NamespaceBaseline defaults', () => {
  test('creates the namespace and its baseline objects, nothing else', () => {
    expect(inFraud.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/fraud', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-istio-control-plane',
      'NetworkPolicy/allow-prometheus-scrape', 'AuthorizationPolicy/allow-nothing', 'ResourceQuota/quota', 'LimitRange/container-defaults',
    ]);
  });

  test('labels the namespace to enforce, audit and warn on Pod Security restricted, and to inject Istio sidecars', () => {
    expect(objectOf(objects, 'Namespace', 'fraud').metadata.labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'latest',
      'istio-injection': 'enabled',
    });
  });

  test('denies all ingress and egress of every pod by default', () => {
    expect(policy('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
  });

  test('allows DNS to the cluster DNS pods, UDP and TCP 53', () => {
    expect(policy('allow-dns')).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('allows the sidecars to reach istiod on 15012, and Prometheus to scrape the merged metrics on 15020', () => {
    expect(policy('allow-istio-control-plane').egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } }, podSelector: { matchLabels: { app: 'istiod' } } }],
      ports: [{ port: 15012, protocol: 'TCP' }],
    }]);
    expect(policy('allow-prometheus-scrape')).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: 15020, protocol: 'TCP' }],
      }],
    });
  });

  test('an empty AuthorizationPolicy allows no request until an ALLOW policy names its caller', () => {
    expect(objectOf(inFraud, 'AuthorizationPolicy', 'allow-nothing')).toEqual({
      apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'fraud' }, spec: {},
    });
  });

  test('caps CPU, memory, GPUs and pods, and gives containers default requests and limits', () => {
    expect(inFraud.find((o) => o.kind === 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '32', 'limits.cpu': '64', 'requests.memory': '256Gi', 'limits.memory': '256Gi', 'requests.nvidia.com/gpu': '8', 'pods': '50',
    });
    expect(inFraud.find((o) => o.kind === 'LimitRange').spec.limits).toEqual([
      { type: 'Container', defaultRequest: { cpu: '250m', memory: '256Mi' }, default: { cpu: '1', memory: '1Gi' } },
    ]);
  });
});

describe('NamespaceBaseline options', () => {
  test('version pin, Istio revision, peer namespaces, quota and container defaults', () => {
    const labels = objectOf(objects, 'Namespace', 'churn').metadata.labels;
    expect(labels).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.34', 'istio.io/rev': 'canary-1-27' });
    expect(labels['istio-injection']).toBeUndefined();
    expect(policy('allow-dns', 'churn').egress[0].to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'dns' });
    expect(policy('allow-istio-control-plane', 'churn').egress[0].to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'mesh' });
    expect(policy('allow-prometheus-scrape', 'churn').ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'observability' });
    const churn = objects.filter((o) => o.metadata.namespace === 'churn');
    expect(churn.find((o) => o.kind === 'ResourceQuota').spec.hard).toMatchObject({ 'requests.cpu': '8', 'limits.cpu': '64', 'requests.nvidia.com/gpu': '2' });
    expect(churn.find((o) => o.kind === 'LimitRange').spec.limits[0]).toMatchObject({ defaultRequest: { cpu: '250m', memory: '512Mi' }, default: { cpu: '2', memory: '1Gi' } });
  });
});

describe('NamespaceBaseline compliance', () => {
  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(inFraud).toMatchSnapshot();
  });
});

describe('NamespaceBaseline refuses bad input with the fix', () => {
  const build = (props: Partial<NamespaceBaselineProps>) => errorOf(() => new NamespaceBaseline(Testing.chart(), 'Namespace', { name: 'fraud', ...props }));

  test('fails if the namespace name is not an RFC 1123 label', () => {
    const error = build({ name: 'Fraud.Detection' });
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain("test/Namespace:name: received 'Fraud.Detection'; allowed: an RFC 1123 label of at most 63 characters");
    expect(error.message).toContain("Fix: rename it, e.g. 'fraud-detection'");
  });

  test('fails with every problem at once', () => {
    const error = build({ podSecurityVersion: '1.34', istioRevision: 'Rev_1', dnsNamespace: '-dns', quota: { requestsCpu: 100, limitsCpu: 10, pods: 0 } });
    expect(error.problems.map((p) => p.path.replace('test/Namespace:', ''))).toEqual([
      'dnsNamespace', 'istioRevision', 'podSecurityVersion', 'quota.pods', 'quota.limitsCpu',
    ]);
    expect(error.message).toContain("podSecurityVersion: received '1.34'; allowed: 'latest' or a Kubernetes minor version such as 'v1.34'");
  });
});
