import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ModelServingChart } from '../../../constructs/k8s/model-serving-chart';
import { evaluateChart } from '../../../lib/policy/adapters/cdk8s-validation';
import { ALL_PACKS } from '../../../lib/policy/packs';
import { runCli, tempDir } from '../../cli/run-cli';
import { FIXTURE_DATE } from '../../policy/rule-harness';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

// The scenario: fraud-detection 2.1.0 goes out on one GPU per pod; 10% of the traffic first, and an analysis of its
// error ratio, p99 latency and feature drift rolls it back without a person if a threshold is breached.
const outdir = tempDir('fraud-gitops');
const app = new App({ outdir, outputFileExtension: '.k8s.yaml' });
const chart = new ModelServingChart(app, 'fraud-detection', {
  namespace: 'fraud',
  model: 'fraud-detection',
  version: '2.1.0',
  image: IMAGE,
  gpus: 1,
  mesh: { callers: [{ namespace: 'payments', serviceAccount: 'checkout' }, { namespace: 'istio-ingress', serviceAccount: 'istio-ingressgateway' }] },
});
const objects = chart.toJson();
const rollout = objectOf(objects, 'Rollout', 'fraud-detection');
const steps = rollout.spec.strategy.canary.steps;

describe('fraud-detection chart', () => {
  test('the new version serves from the image digest on one GPU per pod, Pod Security restricted', () => {
    const pod = rollout.spec.template.spec;
    expect(pod.containers[0].image).toBe(IMAGE);
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(objectOf(objects, 'Namespace', 'fraud').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the canary takes 10% on one pod first, and the analysis gates every step', () => {
    expect(steps.slice(0, 3)).toEqual([
      { setCanaryScale: { replicas: 1 } },
      { setWeight: 10 },
      { analysis: { templates: [{ templateName: 'fraud-detection-analysis' }], args: [{ name: 'version', value: '2.1.0' }] } },
    ]);
    expect(steps.filter((s: any) => s.setWeight !== undefined).map((s: any) => s.setWeight)).toEqual([10, 50, 100]);
  });

  test('the analysis measures error ratio, p99 latency and feature PSI of version 2.1.0', () => {
    const template = objectOf(objects, 'AnalysisTemplate', 'fraud-detection-analysis');
    expect(template.spec.metrics.map((m: any) => [m.name, m.successCondition.split(' <= ')[1], m.failureLimit])).toEqual([
      ['error-ratio', '0.01', 1], ['latency-p99', '500', 1], ['feature-psi', '0.2', 1],
    ]);
  });

  test('only the payments checkout and the ingress gateway may call the model', () => {
    expect(objectOf(objects, 'AuthorizationPolicy', 'fraud-detection-callers').spec.rules[0].from[0].source.principals).toEqual([
      'cluster.local/ns/payments/sa/checkout', 'cluster.local/ns/istio-ingress/sa/istio-ingressgateway',
    ]);
  });

  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack, each on its own, and every rule of the catalog', () => {
    for (const pack of ALL_PACKS) {
      const findings = evaluateChart(chart, { packs: [pack], now: new Date(FIXTURE_DATE) }).findings;
      expect(`${pack.id}: ${findings.map((f) => `${f.ruleId} ${f.logicalId}`).join(', ')}`).toBe(`${pack.id}: `);
    }
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('synthesizes to plain YAML for a GitOps controller, and `check` on the file reports nothing', () => {
    app.synth();
    const file = path.join(outdir, 'fraud-detection.k8s.yaml');
    const documents = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map((d) => d.toJSON());
    expect(documents).toEqual(objects);
    const run = runCli(['check', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^0 findings in ${objects.length} resources \\(${ALL_PACKS.length} packs\\)\\n$`));
    expect(run.code).toBe(0);
  });
});
