import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { ModelAnalysisTemplate } from '../../../constructs/k8s/model-analysis-template';
import { ModelServingChart, ModelServingChartProps } from '../../../constructs/k8s/model-serving-chart';
import { K8S_POD_SECURITY } from '../../../lib/policy/packs';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const PROPS: ModelServingChartProps = { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE, gpus: 1 };

const app = Testing.app();
const chart = new ModelServingChart(app, 'fraud-detection', { ...PROPS, labels: { 'app.kubernetes.io/part-of': 'fraud-platform' } });
chart.allowFrom({ namespace: 'payments', serviceAccount: 'checkout' });
// A second model in the same namespace, whose baseline and PeerAuthentication the first chart already creates.
const second = new ModelServingChart(app, 'aml-screening', {
  ...PROPS, model: 'aml-screening', createNamespace: false, mesh: { namespaceMtls: false, callers: [{ namespace: 'payments', serviceAccount: 'checkout' }] },
});
second.analyzeWith(new ModelAnalysisTemplate(second, 'StricterAnalysis', { server: second.server, templateName: 'aml-screening-strict', maxErrorRatio: 0.001 }));

// Only the Pod Security pack: a first canary step of 50% breaks a rule of the other packs, not of this one.
const podSecurityOnly = new ModelServingChart(app, 'pss-only', { ...PROPS, namespace: 'pss-only', canary: { weights: [50, 100] }, packs: [K8S_POD_SECURITY] });

const objects = Testing.synth(chart);
const secondObjects = Testing.synth(second);
const podSecurityOnlyObjects = Testing.synth(podSecurityOnly);

describe('ModelServingChart', () => {
  test('composes the namespace baseline, the Rollout, its canary, mesh security and monitoring', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/fraud', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns', 'NetworkPolicy/allow-istio-control-plane',
      'NetworkPolicy/allow-prometheus-scrape', 'AuthorizationPolicy/allow-nothing', 'ResourceQuota/quota', 'LimitRange/container-defaults',
      'ServiceAccount/fraud-detection', 'Rollout/fraud-detection', 'Service/fraud-detection', 'PodDisruptionBudget/fraud-detection',
      'AnalysisTemplate/fraud-detection-analysis', 'VirtualService/fraud-detection', 'DestinationRule/fraud-detection',
      'PeerAuthentication/default', 'AuthorizationPolicy/fraud-detection-callers', 'NetworkPolicy/fraud-detection-callers',
      'PodMonitor/fraud-detection', 'PrometheusRule/fraud-detection', 'ConfigMap/fraud-detection-dashboard',
    ]);
  });

  test('every object is in the model\'s namespace (the Namespace itself aside) and carries the chart labels', () => {
    for (const o of objects) {
      if (o.kind !== 'Namespace') expect(`${o.kind}/${o.metadata.name} ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} fraud`);
      expect(o.metadata.labels['app.kubernetes.io/part-of']).toBe('fraud-platform');
    }
  });

  test('allowFrom reaches the mesh policies', () => {
    expect(objectOf(objects, 'AuthorizationPolicy', 'fraud-detection-callers').spec.rules[0].from[0].source.principals).toEqual(['cluster.local/ns/payments/sa/checkout']);
  });

  test('createNamespace: false and namespaceMtls: false leave the namespace objects to the chart that owns them', () => {
    expect(secondObjects.map((o) => o.kind)).not.toEqual(expect.arrayContaining(['Namespace']));
    expect(secondObjects.filter((o) => ['Namespace', 'PeerAuthentication', 'ResourceQuota'].includes(o.kind))).toEqual([]);
  });

  test('analyzeWith adds a template to every analysis step', () => {
    expect(secondObjects.filter((o) => o.kind === 'AnalysisTemplate').map((o) => o.metadata.name)).toEqual(['aml-screening-analysis', 'aml-screening-strict']);
    const steps = objectOf(secondObjects, 'Rollout', 'aml-screening').spec.strategy.canary.steps.filter((s: any) => s.analysis);
    expect(steps.map((s: any) => s.analysis.templates.map((t: any) => t.templateName))).toEqual([
      ['aml-screening-analysis', 'aml-screening-strict'], ['aml-screening-analysis', 'aml-screening-strict'],
    ]);
  });

  test('every object validates against the upstream schemas', () => {
    expectSchemaValid([...objects, ...secondObjects, ...podSecurityOnlyObjects]);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
    expect(chartFindingLines(second)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('ModelServingChart enforces the packs at synthesis', () => {
  test('fails if an escape hatch breaks a rule, naming the rule, the object, the field and the fix', () => {
    const broken = new ModelServingChart(Testing.app(), 'broken', PROPS);
    ApiObject.of(broken.server.workload).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));
    expect(() => Testing.synth(broken)).toThrow(
      /MLOPS-PSS-001 Rollout\/fraud\/fraud-detection \[high\] .*container "server".*\(property spec\/template\/spec\/containers\/0\/securityContext\/privileged\).* Fix: /,
    );
  });

  test('packs selects the rules: a first canary step of 50% passes the Pod Security pack alone, and fails the default packs', () => {
    expect(objectOf(podSecurityOnlyObjects, 'Rollout', 'fraud-detection').spec.strategy.canary.steps[1]).toEqual({ setWeight: 50 });
    const everyPack = new ModelServingChart(Testing.app(), 'every-pack', { ...PROPS, canary: { weights: [50, 100] } });
    expect(() => Testing.synth(everyPack)).toThrow(/MLOPS-K8S-007 Rollout\/fraud\/fraud-detection .*sends 50% of traffic/);
  });

  test('fails if namespaceOptions are given for a namespace the chart does not create', () => {
    const error = errorOf(() => new ModelServingChart(Testing.app(), 'chart', { ...PROPS, createNamespace: false, namespaceOptions: { podSecurityVersion: 'v1.34' } }));
    expect(error.message).toContain('chart:namespaceOptions: received {"podSecurityVersion":"v1.34"}; allowed: namespaceOptions only when the chart creates the namespace');
  });
});

describe('ModelServingChart refuses bad input with the fix', () => {
  const build = (props: Partial<ModelServingChartProps>) => errorOf(() => new ModelServingChart(Testing.app(), 'fraud-detection', { ...PROPS, ...props }));

  test('fails if GPUs are requested with no GPU toleration', () => {
    expect(build({ gpuTaints: [] }).message).toContain('fraud-detection/Server:gpuTaints: received []; allowed: at least one taint when gpus is above 0');
  });

  test('fails if the canary weights do not end at 100', () => {
    expect(build({ canary: { weights: [10, 50] } }).message).toContain('fraud-detection/Canary:weights: received [10,50]; allowed: a last step of 100');
  });

  test('fails if the canary has no analysis', () => {
    expect(build({ canary: { analysisTemplates: [] } }).message).toContain('fraud-detection/Canary:analysisTemplates: received []; allowed: at least one analysis template');
  });

  test('fails if the image has no digest', () => {
    expect(build({ image: 'fraud:latest' }).message).toContain("fraud-detection/Server:image: received 'fraud:latest'; allowed: an image pinned by digest");
  });

  test('fails if the user id is 0', () => {
    expect(build({ user: 0 }).message).toContain('fraud-detection/Server:user: received 0; allowed: a numeric user id from 1 to 2147483647: 0 is root');
  });
});
