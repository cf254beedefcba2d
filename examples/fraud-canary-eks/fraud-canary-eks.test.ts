import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ALL_PACKS, Compliance, evaluateChart, PROMETHEUS_RELEASE, REPORT_FILES, SYNTH_DATE_CONTEXT } from '../../lib';
import { tempDir } from '../../test/cli/run-cli';
import { findingLines } from '../../test/compliance-harness';
import { objectOf } from '../../test/constructs/k8s/k8s-test-helpers';
import { FIXTURE_DATE } from '../../test/policy/rule-harness';
import { EXAMPLE_RELEASE, FraudDetectionChart } from './fraud-detection-chart';
import { FraudServingClusterStack } from './fraud-serving-cluster-stack';

// The example as `cdk synth` builds it (app.ts, with cdk.json's context), every pack enforced. Kubernetes versions
// are judged on a fixed date (the construct reads SYNTH_DATE_CONTEXT, the rules `now`), so the test does not age.
const outdir = tempDir('fraud-canary-eks');
const context = JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.json'), 'utf-8')).context;
const app = new App({ outdir, context: { ...context, [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
const manifests = new cdk8s.App({ outdir: path.join(outdir, 'manifests'), outputFileExtension: '.k8s.yaml' });
const chart = new FraudDetectionChart(manifests, 'fraud-detection', EXAMPLE_RELEASE);
const stack = new FraudServingClusterStack(app, 'FraudServing', { chart });
const compliance = Compliance.enforce(app, { now: new Date(FIXTURE_DATE) });
const resources: Record<string, any> = app.synth().getStackByName(stack.stackName).template.Resources;
manifests.synth();

const objects = chart.toJson();
const names = (list: any[]) => list.map((o) => `${o.kind}/${o.metadata.name}`);
const steps = objectOf(objects, 'Rollout', 'fraud-detection').spec.strategy.canary.steps;
const attached = Object.values(resources).find((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && String(r.Properties.Manifest).includes('"kind":"Rollout"'));

describe('fraud-canary-eks example', () => {
  test('the cluster synthesizes with every pack and no finding, writing the reports beside the template', () => {
    expect(findingLines(compliance.lastResult!)).toEqual([]);
    expect(compliance.lastResult!.packs).toHaveLength(ALL_PACKS.length);
    for (const file of Object.values(REPORT_FILES)) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
  });

  test('the chart passes every pack', () => {
    const findings = evaluateChart(chart, { packs: ALL_PACKS, now: new Date(FIXTURE_DATE) }).findings;
    expect(findings.map((f) => `${f.ruleId} ${f.logicalId} ${f.path}: ${f.message}`)).toEqual([]);
  });

  test('serves on a g5 GPU node group beside the system nodes, with Istio, kube-prometheus-stack, Argo Rollouts and DCGM', () => {
    const nodegroups = Object.values(resources).filter((r) => r.Type === 'AWS::EKS::Nodegroup').map((r) => r.Properties);
    expect(nodegroups).toHaveLength(2);
    expect(nodegroups).toContainEqual(expect.objectContaining({
      AmiType: 'BOTTLEROCKET_x86_64_NVIDIA', InstanceTypes: ['g5.xlarge'], ScalingConfig: { MinSize: 4, DesiredSize: 4, MaxSize: 6 },
      Labels: expect.objectContaining({ 'regulated-mlops.io/gpu-node-group': 'inference' }),
    }));
    const charts = Object.values(resources).filter((r) => r.Type === 'Custom::AWSCDK-EKS-HelmChart').map((r) => r.Properties.Chart).sort();
    expect(charts).toEqual(['argo-rollouts', 'base', 'cni', 'dcgm-exporter', 'istiod', 'kube-prometheus-stack']);
  });

  test('deploys the chart two ways: applied by CloudFormation after the add-ons, and as plain YAML for GitOps', () => {
    const crdCharts = Object.entries(resources)
      .filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && ['istiod', 'kube-prometheus-stack', 'argo-rollouts'].includes(r.Properties.Chart));
    expect(crdCharts).toHaveLength(3);
    expect(attached.DependsOn).toEqual(expect.arrayContaining(crdCharts.map(([id]) => id)));
    expect(names(JSON.parse(attached.Properties.Manifest))).toEqual(names(objects));
    const file = parseAllDocuments(fs.readFileSync(path.join(outdir, 'manifests', 'fraud-detection.k8s.yaml'), 'utf-8')).map((d) => d.toJSON());
    expect(file).toEqual(objects);
  });

  test('the canary takes 10% of the traffic on one pod first, and an analysis gates every step up', () => {
    expect(steps.slice(0, 3)).toEqual([
      { setCanaryScale: { replicas: 1 } },
      { setWeight: 10 },
      { analysis: { templates: [{ templateName: 'fraud-detection-analysis' }], args: [{ name: 'version', value: EXAMPLE_RELEASE.version }] } },
    ]);
    expect(steps.filter((s: any) => s.setWeight !== undefined).map((s: any) => s.setWeight)).toEqual([10, 50, 100]);
  });

  test('the analysis rolls back on error ratio, p99 latency or input drift (PSI), each on its first failure', () => {
    const metrics = objectOf(objects, 'AnalysisTemplate', 'fraud-detection-analysis').spec.metrics;
    expect(metrics.map((m: any) => [m.name, m.successCondition.split(' <= ')[1], m.failureLimit])).toEqual([
      ['error-ratio', '0.005', 1], ['latency-p99', '150', 1], ['feature-psi', '0.2', 1],
    ]);
  });

  test('standing alerts watch the same signals, for the Prometheus of kube-prometheus-stack', () => {
    const rule = objectOf(objects, 'PrometheusRule', 'fraud-detection');
    expect(rule.metadata.labels.release).toBe(PROMETHEUS_RELEASE);
    const alerts = rule.spec.groups.flatMap((g: any) => g.rules);
    expect(alerts.map((a: any) => a.alert)).toEqual(['ModelErrorRatioHigh', 'ModelLatencyP99High', 'ModelFeatureDrift', 'ModelDriftMetricAbsent']);
    for (const alert of alerts) expect(alert.annotations.runbook_url).toBe('https://runbooks.example.com/fraud-detection');
  });
});
