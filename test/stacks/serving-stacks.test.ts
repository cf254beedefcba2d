import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SYNTH_DATE_CONTEXT } from '../../constructs/eks/serving-cluster';
import { EksServingStack } from '../../lib/stacks/eks-serving-stack';
import { FoundationStack } from '../../lib/stacks/foundation-stack';
import { REFERENCE_FRAUD_IMAGE_DIGEST, REFERENCE_MODELS } from '../../lib/stacks/reference-app';
import { RegulatedEnvironment } from '../../lib/stacks/regulated-environment';
import { SageMakerServingStack } from '../../lib/stacks/sagemaker-serving-stack';
import { ServedModel } from '../../lib/stacks/served-model';
import { ServingRuntime } from '../../lib/stacks/serving-runtime';
import { complianceOfStacks, findingLines } from '../compliance-harness';
import { errorOf } from '../constructs/security/construct-test-helpers';
import { FIXTURE_DATE } from '../policy/rule-harness';

const [credit] = REFERENCE_MODELS;
const inventory: ServedModel[] = Array.from({ length: 6 }, (_, i) => ({ ...credit, name: `scorecard-${i}` }));

// Six endpoints with a low resource budget: the serving stack fills first, then stacks beside it take the rest.
const app = new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
const foundation = new FoundationStack(app, 'Foundation', { models: inventory });
const serving = new SageMakerServingStack(app, 'Serving', {
  foundation, maxResourcesPerStack: 120,
  deployments: inventory.map((m) => ({ model: m.name, instanceType: 'ml.m5.large' })),
});
const resources = (stack: Stack) => stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;

describe('SageMakerServingStack', () => {
  test('spreads endpoints over itself and stacks beside it when they would pass the resource budget', () => {
    expect(serving.stacks[0]).toBe(serving);
    expect(serving.stacks.map((s) => s.node.id)).toEqual(['Serving', ...serving.stacks.slice(1).map((_, i) => `ServingEndpoints${i + 2}`)]);
    expect(serving.stacks.length).toBeGreaterThan(1);
    for (const stack of serving.stacks) expect(resources(stack)).toBeLessThanOrEqual(120);
    expect(Object.keys(serving.endpoints)).toEqual(inventory.map((m) => m.name));
  });

  test('holds one approval gate per model, resolving its registry\'s approved version', () => {
    expect(Object.keys(serving.approvedModels)).toEqual(inventory.map((m) => m.name));
    Template.fromStack(serving).resourceCountIs('Custom::RegulatedMlopsApprovedModel', 6);
  });

  test('passes every pack with the foundation, across all its stacks', () => {
    expect(findingLines(complianceOfStacks([foundation, ...serving.stacks]))).toEqual([]);
  });

  // Bad input in an app of its own: a failed construction leaves a partial stack behind in its app.
  const badApp = new App();
  const badFoundation = new FoundationStack(badApp, 'Foundation', { models: [credit] });

  test('refuses a model the foundation does not know, naming the ones it does', () => {
    const error = errorOf(() => new SageMakerServingStack(badApp, 'Unknown', { foundation: badFoundation, deployments: [{ model: 'credit-risc', instanceType: 'ml.m5.large' }] }));
    expect(error.message).toContain("Foundation:model: received 'credit-risc'; allowed: credit-risk. Fix: register the model in the foundation (models or addModel) first");
  });

  test('refuses a model deployed twice', () => {
    const deployment = { model: 'credit-risk', instanceType: 'ml.m5.large' };
    expect(errorOf(() => new SageMakerServingStack(badApp, 'Twice', { foundation: badFoundation, deployments: [deployment, deployment] })).message)
      .toContain("Twice:deployments[].model: received 'credit-risk'; allowed: each model once");
  });

  test('refuses an empty list of deployments', () => {
    expect(errorOf(() => new SageMakerServingStack(badApp, 'Empty', { foundation: badFoundation, deployments: [] })).message)
      .toContain("Empty:deployments: received '[]'; allowed: at least one model deployment");
  });
});

describe('FoundationStack models', () => {
  test('gives each model a registry, an approval workflow and a model card', () => {
    const template = Template.fromStack(foundation);
    template.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 6);
    template.resourceCountIs('AWS::SageMaker::ModelCard', 6);
    expect(foundation.registration('scorecard-0').registry.modelPackageGroupName).toBe('scorecard-0');
  });

  test('refuses a bad or duplicate model name, listing both problems', () => {
    const error = errorOf(() => new FoundationStack(new App(), 'Bad', { models: [{ ...credit, name: 'Credit_Risk' }] }));
    expect(error.message).toContain("Bad:models[].name: received 'Credit_Risk'; allowed: lower-case letters, digits and hyphens");
    const twice = errorOf(() => new FoundationStack(new App(), 'Twice', { models: [credit, credit] }));
    expect(twice.message).toContain("Twice:models[].name: received 'credit-risk'; allowed: each model once");
  });
});

describe('EksServingStack', () => {
  const eksApp = new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
  const eksFoundation = new FoundationStack(eksApp, 'Foundation', { models: [credit], servingClusterEndpoints: true });
  const eks = new EksServingStack(eksApp, 'Eks', {
    foundation: eksFoundation, deployments: [{ model: 'credit-risk', version: '1.0.0', imageDigest: REFERENCE_FRAUD_IMAGE_DIGEST }],
  });
  const template = Template.fromStack(eks);

  test('applies each model\'s chart only after the add-ons that define its custom resources', () => {
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const [chartId] = Object.entries<any>(manifests).find(([, r]) => JSON.stringify(r.Properties.Manifest).includes('AnalysisTemplate'))!;
    const helmCharts = Object.keys(template.findResources('Custom::AWSCDK-EKS-HelmChart'));
    expect(helmCharts.length).toBeGreaterThanOrEqual(5);
    expect(manifests[chartId].DependsOn).toEqual(expect.arrayContaining(helmCharts));
  });

  test('applies each chart only after its approval gate confirmed the pinned image is the approved version\'s', () => {
    const gates = template.findResources('Custom::RegulatedMlopsApprovedModel');
    const [[gateId, gate]] = Object.entries<any>(gates);
    expect(gate.Properties).toMatchObject({ RequiredImageDigest: REFERENCE_FRAUD_IMAGE_DIGEST });
    const manifests = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
    const [, chart] = Object.entries<any>(manifests).find(([, r]) => JSON.stringify(r.Properties.Manifest).includes('AnalysisTemplate'))!;
    expect(chart.DependsOn).toContain(gateId);
  });

  test('gives the cluster keys of its own, so the foundation never depends on the cluster', () => {
    const keyPolicies = Object.values<any>(Template.fromStack(eksFoundation).findResources('AWS::KMS::Key')).map((k) => JSON.stringify(k.Properties.KeyPolicy));
    expect(keyPolicies.join()).not.toContain('Eks');
    expect(eksFoundation.dependencies).toEqual([]);
    expect(eks.dependencies).toEqual([eksFoundation]);
  });

  test('passes every pack with its foundation', () => {
    expect(findingLines(complianceOfStacks([eksFoundation, eks]))).toEqual([]);
  });

  test('refuses a model deployed twice or none at all', () => {
    const badApp = new App();
    const badFoundation = new FoundationStack(badApp, 'Foundation', { models: [credit] });
    const deployment = { model: 'credit-risk', version: '1.0.0', imageDigest: REFERENCE_FRAUD_IMAGE_DIGEST };
    expect(errorOf(() => new EksServingStack(badApp, 'Twice', { foundation: badFoundation, deployments: [deployment, deployment] })).message)
      .toContain("Twice:deployments[].model: received 'credit-risk'; allowed: each model once");
    expect(errorOf(() => new EksServingStack(badApp, 'None', { foundation: badFoundation, deployments: [] })).message)
      .toContain("None:deployments: received '[]'");
  });
});

describe('RegulatedEnvironment', () => {
  test('refuses a runtime without its deployments, and an empty inventory, listing every problem', () => {
    const error = errorOf(() => new RegulatedEnvironment(new App(), 'Dev', { runtime: ServingRuntime.BOTH, models: [] }));
    expect(error.problems.map((p) => p.path)).toEqual(['Dev:sagemaker', 'Dev:eks', 'Dev:models']);
    expect(error.message).toContain("Fix: pass sagemaker: { deployments: [...] }, or choose runtime 'eks'");
  });
});
