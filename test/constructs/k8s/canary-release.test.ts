import { Chart, Testing } from 'cdk8s';
import { CanaryRelease, CanaryReleaseProps } from '../../../constructs/k8s/canary-release';
import { AnalysisArgument, IAnalysisTemplate, ModelAnalysisTemplate } from '../../../constructs/k8s/model-analysis-template';
import { ModelServer, ModelServerProps, ServerWorkload } from '../../../constructs/k8s/model-server';
import { expectSchemaValid } from '../../support/k8s-schema/schema-validation';
import { errorOf } from '../security/construct-test-helpers';
import { chartFindingLines, IMAGE, objectOf } from './k8s-test-helpers';

const SERVER: ModelServerProps = { namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', image: IMAGE, gpus: 1, workload: ServerWorkload.ROLLOUT };

/** A template another team owns, passing the business metric it watches. */
class KpiTemplate implements IAnalysisTemplate {
  constructor(public readonly templateName: string, private readonly args: AnalysisArgument[]) {}
  public argumentsFor(): AnalysisArgument[] {
    return this.args;
  }
}

const app = Testing.app();
const chart = new Chart(app, 'Canary');
const server = new ModelServer(chart, 'Server', SERVER);
const canary = new CanaryRelease(chart, 'Canary', { server });
canary.analyzeWith(new KpiTemplate('approval-rate', [{ name: 'version', value: '2.1.0' }, { name: 'kpi', value: 'approval_rate' }]));
// Custom steps and an imported template instead of the model analysis.
const custom = new ModelServer(chart, 'Custom', { ...SERVER, model: 'churn', replicas: 4 });
new CanaryRelease(chart, 'CustomCanary', { server: custom, weights: [5, 25, 100], canaryReplicas: 2, analysisTemplates: [new KpiTemplate('churn-gate', [])] });

const objects = Testing.synth(chart);
const rollout = objectOf(objects, 'Rollout', 'fraud-detection');
const strategy = rollout.spec.strategy.canary;
const customStrategy = objectOf(objects, 'Rollout', 'churn').spec.strategy.canary;

describe('CanaryRelease defaults', () => {
  test('10% on one canary pod, analysis, 50% scaled with traffic, analysis, 100%', () => {
    const analysis = {
      analysis: {
        templates: [{ templateName: 'fraud-detection-analysis' }, { templateName: 'approval-rate' }],
        args: [{ name: 'version', value: '2.1.0' }, { name: 'kpi', value: 'approval_rate' }],
      },
    };
    expect(strategy.steps).toEqual([
      { setCanaryScale: { replicas: 1 } }, { setWeight: 10 }, analysis,
      { setCanaryScale: { matchTrafficWeight: true } }, { setWeight: 50 }, analysis,
      { setWeight: 100 },
    ]);
  });

  test('routes traffic through the VirtualService route and the DestinationRule subsets', () => {
    expect(strategy.trafficRouting).toEqual({
      istio: {
        virtualService: { name: 'fraud-detection', routes: ['primary'] },
        destinationRule: { name: 'fraud-detection', stableSubsetName: 'stable', canarySubsetName: 'canary' },
      },
    });
  });

  test('the Rollout owns the pod template (no workloadRef), so the Pod Security rules see it', () => {
    expect(rollout.spec.workloadRef).toBeUndefined();
    expect(rollout.spec.template.spec.containers[0].image).toBe(IMAGE);
  });

  test('the VirtualService rests with 100% on stable and 0% on canary', () => {
    const host = 'fraud-detection.fraud.svc.cluster.local';
    expect(objectOf(objects, 'VirtualService', 'fraud-detection').spec).toEqual({
      hosts: [host],
      http: [{
        name: 'primary',
        route: [
          { destination: { host, subset: 'stable', port: { number: 8080 } }, weight: 100 },
          { destination: { host, subset: 'canary', port: { number: 8080 } }, weight: 0 },
        ],
      }],
    });
  });

  test('the DestinationRule has the stable and canary subsets and sends ISTIO_MUTUAL', () => {
    expect(objectOf(objects, 'DestinationRule', 'fraud-detection').spec).toEqual({
      host: 'fraud-detection.fraud.svc.cluster.local',
      trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [
        { name: 'stable', labels: { 'app.kubernetes.io/name': 'fraud-detection' } },
        { name: 'canary', labels: { 'app.kubernetes.io/name': 'fraud-detection' } },
      ],
    });
  });

  test('creates the model analysis', () => {
    expect(canary.modelAnalysis).toBeInstanceOf(ModelAnalysisTemplate);
    expect(objectOf(objects, 'AnalysisTemplate', 'fraud-detection-analysis').metadata.namespace).toBe('fraud');
  });
});

describe('CanaryRelease options', () => {
  test('weights and canaryReplicas shape the steps; analysisTemplates replace the model analysis', () => {
    const analysis = { analysis: { templates: [{ templateName: 'churn-gate' }], args: [] } };
    expect(customStrategy.steps).toEqual([
      { setCanaryScale: { replicas: 2 } }, { setWeight: 5 }, analysis,
      { setCanaryScale: { matchTrafficWeight: true } }, { setWeight: 25 }, analysis,
      { setWeight: 100 },
    ]);
    expect(objects.filter((o) => o.kind === 'AnalysisTemplate').map((o) => o.metadata.name)).toEqual(['fraud-detection-analysis']);
  });
});

describe('CanaryRelease compliance', () => {
  test('every object validates against the upstream schemas', () => {
    expectSchemaValid(objects);
  });

  test('passes every pack and every rule of the catalog', () => {
    expect(chartFindingLines(chart)).toEqual([]);
  });

  test('snapshot', () => {
    expect(objects).toMatchSnapshot();
  });
});

describe('CanaryRelease refuses bad input with the fix', () => {
  const build = (props: Partial<CanaryReleaseProps>, serverProps: Partial<ModelServerProps> = {}) => {
    const scope = Testing.chart();
    const target = new ModelServer(scope, 'Server', { ...SERVER, ...serverProps });
    return errorOf(() => new CanaryRelease(scope, 'Canary', { server: target, ...props }));
  };

  test('fails if the weights do not end at 100', () => {
    const error = build({ weights: [10, 50] });
    expect(error.code).toBe('InvalidConfiguration');
    expect(error.message).toContain('test/Canary:weights: received [10,50]; allowed: a last step of 100');
    expect(error.message).toContain('Fix: append 100: [10,50,100]');
  });

  test('fails if the weights do not rise, or leave 1 to 100', () => {
    const error = build({ weights: [50, 10, 0, 100, 120] });
    expect(error.problems.map((p) => `${p.path.replace('test/Canary:', '')} ${p.received}`)).toEqual([
      'weights[2] 0', 'weights[4] 120', 'weights [50,10,0,100,120]', 'weights [50,10,0,100,120]',
    ]);
    expect(error.message).toContain('allowed: weights that rise step by step. Fix: sort the steps and drop repeats');
  });

  test('fails if no step below 100 leaves room for analysis', () => {
    expect(build({ weights: [100] }).message).toContain('test/Canary:weights: received [100]; allowed: at least one step below 100: the analysis runs after each of them');
  });

  test('fails if the canary has no analysis', () => {
    const error = build({ analysisTemplates: [] });
    expect(error.message).toContain('test/Canary:analysisTemplates: received []; allowed: at least one analysis template: a canary without analysis is promoted on time alone');
    expect(error.message).toContain('Fix: omit analysisTemplates for the model analysis');
  });

  test('fails if the server renders a Deployment', () => {
    expect(build({}, { workload: ServerWorkload.DEPLOYMENT }).message)
      .toContain("test/Canary:server: received 'a ModelServer rendering a Deployment'; allowed: a ModelServer with workload: ServerWorkload.ROLLOUT");
  });

  test('fails if thresholds and templates are both given, or canaryReplicas exceeds the replicas', () => {
    const error = build({ analysis: { maxErrorRatio: 0.02 }, analysisTemplates: [new KpiTemplate('gate', [])], canaryReplicas: 3 });
    expect(error.problems.map((p) => p.path.replace('test/Canary:', ''))).toEqual(['canaryReplicas', 'analysis']);
  });

  test('fails if a second CanaryRelease releases the same server', () => {
    const scope = Testing.chart();
    const target = new ModelServer(scope, 'Server', SERVER);
    new CanaryRelease(scope, 'First', { server: target });
    expect(errorOf(() => new CanaryRelease(scope, 'Second', { server: target })).message).toContain('allowed: one CanaryRelease per ModelServer');
  });

  test('fails if an added template has the name of one already run', () => {
    const scope = Testing.chart();
    const release = new CanaryRelease(scope, 'Canary', { server: new ModelServer(scope, 'Server', SERVER) });
    expect(errorOf(() => release.analyzeWith(new KpiTemplate('fraud-detection-analysis', []))).message)
      .toContain("test/Canary:analyzeWith(template): received 'fraud-detection-analysis'; allowed: templates with distinct names");
  });

  test('fails if an added template passes another value for an argument the step already passes', () => {
    const scope = Testing.chart();
    const release = new CanaryRelease(scope, 'Canary', { server: new ModelServer(scope, 'Server', SERVER) });
    const error = errorOf(() => release.analyzeWith(new KpiTemplate('kpi', [{ name: 'version', value: 'latest' }])));
    expect(error.message).toContain("test/Canary:analyzeWith(template): received 'kpi with argument version='latest''; allowed: the value the step already passes for version ('2.1.0')");
  });
});
