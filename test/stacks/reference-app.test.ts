import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { SYNTH_DATE_CONTEXT } from '../../constructs/eks/serving-cluster';
import { Compliance } from '../../lib/policy/compliance';
import { REPORT_FILES } from '../../lib/policy/report/write-reports';
import { synthSummary } from '../../lib/policy/report/synth-summary';
import { addReferenceEnvironments, REFERENCE_ENVIRONMENTS } from '../../lib/stacks/reference-app';
import { parseServingRuntime, ServingRuntime } from '../../lib/stacks/serving-runtime';
import { tempDir } from '../cli/run-cli';
import { FIXTURE_DATE } from '../policy/rule-harness';
import { errorOf } from '../constructs/security/construct-test-helpers';
import { normalisedTemplate } from './snapshot-normalisation';

// The reference app exactly as bin/app.ts builds it (every runtime, every pack), synthesized once for the whole file.
const outdir = tempDir('reference-app');
const app = new App({ outdir, context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
const environments = addReferenceEnvironments(app);
const compliance = Compliance.enforce(app, { now: new Date(FIXTURE_DATE) });
const assembly = app.synth();
const result = compliance.lastResult!;

const stacksOf = (stage: Stage) => stage.node.findAll().filter((c): c is Stack => Stack.isStack(c));
const templateOf = (stack: Stack) => normalisedTemplate(assembly.getStackArtifact(stack.artifactId).templateFullPath);

describe('the reference app', () => {
  test('has Dev, Staging and Prod, each with the foundation and both runtimes', () => {
    expect(environments.map((e) => e.stageName)).toEqual([...REFERENCE_ENVIRONMENTS]);
    for (const env of environments) expect(stacksOf(env).map((s) => s.node.id)).toEqual(['Foundation', 'SageMakerServing', 'EksServing']);
  });

  test('passes every pack with no finding, and writes the reports beside the templates', () => {
    expect(result.findings.map((f) => `${f.ruleId} ${f.constructPath ?? f.logicalId}`)).toEqual([]);
    expect(new Set(result.resources.map((r) => r.stack)).size).toBe(9);
    for (const file of Object.values(REPORT_FILES)) expect(fs.existsSync(path.join(outdir, file))).toBe(true);
    const cards = (fs.readdirSync(path.join(outdir, 'assembly-Prod', 'model-cards'), { recursive: true }) as string[]).filter((f) => f.endsWith('.md'));
    expect(cards.sort()).toEqual(['Prod/Foundation/credit-risk/Card.md', 'Prod/Foundation/fraud-detection/Card.md']);
  });

  test('names each environment\'s registry groups after the stage, so environments can share an account', () => {
    expect(environments.map((e) => e.foundation.registration('credit-risk').registry.modelPackageGroupName)).toEqual(['dev-credit-risk', 'staging-credit-risk', 'prod-credit-risk']);
  });

  test('prints a summary: stacks, resources, packs, findings and acknowledgments', () => {
    const summary = synthSummary(result, outdir);
    expect(summary).toMatch(new RegExp(`^regulated-mlops: 9 stack\\(s\\), ${result.resources.length} resources checked, packs hipaa, pci-dss-4.0.1, nist-800-53-r5, sr-11-7, eu-ai-act, gdpr, k8s-pss-restricted; findings 0, acknowledgments \\d+`));
    expect(summary).toContain(`reports in ${outdir}: ${Object.values(REPORT_FILES).join(', ')}`);
  });

  test('environments differ in sizes, never in shape: the same resource types in every stack of every environment', () => {
    const shape = (stage: Stage) => Object.fromEntries(stacksOf(stage).map((s) => {
      const counts: Record<string, number> = {};
      for (const r of Object.values<any>(assembly.getStackArtifact(s.artifactId).template.Resources)) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
      return [s.node.id, counts];
    }));
    const [dev, staging, prod] = environments.map(shape);
    expect(staging).toEqual(dev);
    expect(prod).toEqual(dev);
    // ...while the sizes do differ: ten fraud instances in Prod (so the 10% canary is one instance), two in Dev.
    const fraudInstances = (stage: Stage) => Object.values<any>(assembly.getStackArtifact(stacksOf(stage)[1].artifactId).template.Resources)
      .filter((r) => r.Type === 'AWS::SageMaker::EndpointConfig' && JSON.stringify(r.Properties).includes('g5.'))
      .map((r) => r.Properties.ProductionVariants[0].InitialInstanceCount);
    expect(environments.map(fraudInstances)).toEqual([[2], [2], [10]]);
  });

  describe.each(environments.flatMap((env) => stacksOf(env).map((s) => [`${env.stageName}/${s.node.id}`, s] as const)))('%s', (_name, stack) => {
    test('matches its snapshot (asset hashes normalised)', () => {
      expect(templateOf(stack)).toMatchSnapshot();
    });
  });
});

describe('choosing the runtimes', () => {
  test.each([
    [ServingRuntime.SAGEMAKER, ['Foundation', 'SageMakerServing']],
    [ServingRuntime.EKS, ['Foundation', 'EksServing']],
  ])('-c runtime=%s builds the foundation and that runtime in every environment', (runtime, stacks) => {
    const only = new App({ context: { [SYNTH_DATE_CONTEXT]: FIXTURE_DATE } });
    for (const env of addReferenceEnvironments(only, { runtime })) expect(stacksOf(env).map((s) => s.node.id)).toEqual(stacks);
  });

  test('reads the context value, defaulting to both, and refuses an unknown one with the allowed values', () => {
    expect(parseServingRuntime(undefined, 'bin/app.ts')).toBe(ServingRuntime.BOTH);
    expect(parseServingRuntime('eks', 'bin/app.ts')).toBe(ServingRuntime.EKS);
    expect(errorOf(() => parseServingRuntime('lambda', 'bin/app.ts')).message).toContain(
      "bin/app.ts:runtime: received 'lambda'; allowed: sagemaker | eks | both. Fix: run e.g. 'npx cdk synth -c runtime=both', or leave it out for 'both'");
  });
});
