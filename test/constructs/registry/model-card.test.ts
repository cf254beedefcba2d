import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  ModelCard, ModelCardMetricType, ModelCardProps, ModelCardRiskRating, ModelCardStatus, ThresholdComparison,
} from '../../../constructs/registry/model-card';
import { ModelRegistry } from '../../../constructs/registry/model-registry';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import modelCardRiskAndKey from '../../../lib/policy/rules/aws/sagemaker/model-card-risk-and-key';
import { acknowledgmentLines, complianceOf, findingLines, nagFindings } from '../../compliance-harness';
import { verdictsOnStack } from '../../policy/rule-harness';
import { errorOf, EVERY_RULE_PACKS } from '../security/construct-test-helpers';

const AT_LEAST = ThresholdComparison.GREATER_THAN_OR_EQUAL;
const APPROVED: ModelCardProps = {
  modelName: 'credit-risk',
  description: 'Probability of default for retail loans',
  owner: 'credit-analytics',
  intendedUses: {
    purposeOfModel: 'Credit decisioning support',
    intendedUses: 'Retail loan applications',
    riskRating: ModelCardRiskRating.HIGH,
    explanationsForRiskRating: 'Supports credit decisions about consumers (SR 11-7 tier 1)',
  },
  businessDetails: { businessProblem: 'Loan losses', lineOfBusiness: 'Retail lending' },
  trainingData: [
    { location: 's3://training/credit/2026-10/', version: 'v12' },
    { location: 's3://training/bureau/2026-09/', version: '3Lg8ZPjkeQ', description: 'bureau extract' },
  ],
  evaluations: [{
    name: 'holdout-2026-10',
    datasets: ['s3://training/credit/holdout/'],
    metrics: [
      { name: 'auc', value: 0.81, threshold: { comparison: AT_LEAST, value: 0.75 } },
      { name: 'calibrated', value: true, type: ModelCardMetricType.BOOLEAN },
    ],
  }],
  fairness: { metrics: [{ name: 'disparate_impact', value: 0.92, threshold: { comparison: AT_LEAST, value: 0.8 }, notes: 'age over 60 vs under' }] },
  status: ModelCardStatus.APPROVED,
  approver: 'model-risk-committee',
};

// One app (with its own output directory, to read the Markdown cards): an approved card linked to a package group,
// a card with default props, and a card in a nested stage.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-card-'));
const app = new App({ outdir });
const stack = new Stack(app, 'Cards');
const keys = new KeyRing(stack, 'Keys');
const registry = ModelRegistry.fromModelPackageGroupAttributes(stack, 'Registry', {
  modelPackageGroupName: 'credit-risk', encryptionKey: keys.key(KeyPurpose.MODEL_ARTIFACTS),
});
const approved = new ModelCard(stack, 'Approved', { ...APPROVED, modelPackageGroup: registry });
const defaults = new ModelCard(stack, 'Defaults', {
  modelName: 'churn', description: 'Churn propensity',
  intendedUses: { purposeOfModel: 'Retention offers', intendedUses: 'Marketing', riskRating: ModelCardRiskRating.UNKNOWN },
  trainingData: [],
});
const stage = new Stage(app, 'Prod');
const staged = new ModelCard(new Stack(stage, 'Cards'), 'Card', { ...APPROVED });
const assembly = app.synth();
const template = Template.fromStack(stack);
const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const content = (card: ModelCard) => template.findResources('AWS::SageMaker::ModelCard')[id(card)].Properties;

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('ModelCard', () => {
  test('records intended uses and the risk rating with its explanation', () => {
    expect(content(approved).Content.IntendedUses).toEqual({
      PurposeOfModel: 'Credit decisioning support', IntendedUses: 'Retail loan applications', RiskRating: 'High',
      ExplanationsForRiskRating: 'Supports credit decisions about consumers (SR 11-7 tier 1)',
    });
    expect(content(approved).Content.ModelOverview).toEqual({ ModelName: 'credit-risk', ModelDescription: 'Probability of default for retail loans', ModelOwner: 'credit-analytics' });
    expect(content(approved).Content.BusinessDetails).toEqual({ BusinessProblem: 'Loan losses', LineOfBusiness: 'Retail lending' });
  });

  test('records training data locations and their versions', () => {
    expect(content(approved).Content.TrainingDetails).toEqual({
      TrainingJobDetails: { TrainingDatasets: ['s3://training/credit/2026-10/', 's3://training/bureau/2026-09/'] },
      TrainingObservations: 'Training data versions: s3://training/credit/2026-10/ @ v12; s3://training/bureau/2026-09/ @ 3Lg8ZPjkeQ (bureau extract).',
    });
    expect(content(approved).Content.AdditionalInformation.CustomDetails).toEqual({
      'approver': 'model-risk-committee', 'training-data-1-version': 'v12', 'training-data-2-version': '3Lg8ZPjkeQ',
    });
  });

  test('records evaluation and fairness metrics with their thresholds', () => {
    expect(content(approved).Content.EvaluationDetails).toEqual([
      {
        Name: 'holdout-2026-10', Datasets: ['s3://training/credit/holdout/'],
        MetricGroups: [{
          Name: 'holdout-2026-10',
          MetricData: [
            { Name: 'auc', Type: 'number', Value: 0.81, Notes: 'threshold >= 0.75' },
            { Name: 'calibrated', Type: 'boolean', Value: true },
          ],
        }],
      },
      {
        Name: 'fairness',
        MetricGroups: [{ Name: 'fairness', MetricData: [{ Name: 'disparate_impact', Type: 'number', Value: 0.92, Notes: 'threshold >= 0.8; age over 60 vs under' }] }],
      },
    ]);
  });

  test('is approved, names its package group, and is encrypted with the package group key', () => {
    expect(content(approved)).toMatchObject({
      ModelCardStatus: 'Approved',
      Content: { ModelPackageDetails: { ModelPackageGroupName: 'credit-risk' } },
      SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [id(keys.key(KeyPurpose.MODEL_ARTIFACTS)), 'Arn'] } },
      ModelCardName: expect.stringMatching(/^Cards-Approved-[0-9A-F]{8}$/),
    });
  });

  test('defaults to PendingReview, a generated name and the MODEL_ARTIFACTS key of its own key ring', () => {
    const ring = defaults.node.findChild('Keys') as KeyRing;
    expect(content(defaults)).toMatchObject({
      ModelCardStatus: 'PendingReview',
      ModelCardName: expect.stringMatching(/^Cards-Defaults-[0-9A-F]{8}$/),
      SecurityConfig: { KmsKeyId: { 'Fn::GetAtt': [id(ring.key(KeyPurpose.MODEL_ARTIFACTS)), 'Arn'] } },
      Content: { IntendedUses: { RiskRating: 'Unknown' } },
    });
    expect(content(defaults).Content.EvaluationDetails).toBeUndefined();
    expect(content(defaults).Content.TrainingDetails).toEqual({});
  });

  test('writes the card as Markdown into the cloud assembly, with risk rating, metrics, training data and approver', () => {
    expect(approved.markdownPath).toBe(path.join('model-cards', 'Cards', 'Approved.md'));
    const markdown = fs.readFileSync(path.join(assembly.directory, approved.markdownPath), 'utf8');
    expect(markdown).toContain('| Risk rating | **High** |');
    expect(markdown).toContain('| auc | 0.81 | >= 0.75 | meets |  |');
    expect(markdown).toContain('| disparate_impact | 0.92 | >= 0.8 | meets | age over 60 vs under |');
    expect(markdown).toContain('| `s3://training/bureau/2026-09/` | 3Lg8ZPjkeQ | bureau extract |');
    expect(markdown).toContain('| Approver | model-risk-committee |');
    expect(markdown).toContain(`SageMaker model card \`${content(approved).ModelCardName}\``);
    expect(markdown).toContain(`| Encryption key | \`${keys.key(KeyPurpose.MODEL_ARTIFACTS).node.path} (ARN known at deploy time)\` |`);
    expect(fs.existsSync(path.join(assembly.directory, 'model-cards', 'Cards', 'Defaults.md'))).toBe(true);
  });

  test('writes the card of a nested stage into that stage\'s assembly', () => {
    const nested = assembly.getNestedAssembly(stage.artifactId);
    expect(fs.readFileSync(path.join(nested.directory, staged.markdownPath), 'utf8')).toContain('# Model card: credit-risk');
    expect(staged.markdownPath).toBe(path.join('model-cards', 'Prod', 'Cards', 'Card.md'));
  });

  test('passes rule MLOPS-SM-031 and every rule of every pack', () => {
    expect(Object.values(verdictsOnStack(modelCardRiskAndKey, stack))).toEqual(['pass', 'pass']);
    const result = complianceOf(stack, EVERY_RULE_PACKS);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result).every((line) => line.endsWith('(automatic)'))).toBe(true);
  });

  test('passes cdk-nag', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('ModelCard input checks', () => {
  const bad = new Stack(new App(), 'Bad');
  let n = 0;
  const problems = (props: Partial<ModelCardProps>) => {
    const error = errorOf(() => new ModelCard(bad, `Card${n++}`, { ...APPROVED, ...props }));
    expect(error.code).toBe('InvalidConfiguration');
    return error.problems.map((p) => p.path.replace(/^Bad\/Card\d+:/, ''));
  };

  test('fails on a High rating without an explanation', () => {
    expect(problems({ intendedUses: { ...APPROVED.intendedUses, explanationsForRiskRating: ' ' } })).toEqual(['intendedUses.explanationsForRiskRating']);
  });

  test('fails on an approved card without approver, training data or rating', () => {
    expect(problems({ approver: undefined, trainingData: [], intendedUses: { ...APPROVED.intendedUses, riskRating: ModelCardRiskRating.UNKNOWN } }))
      .toEqual(['intendedUses.riskRating', 'approver', 'trainingData']);
  });

  test('fails on an approved card whose metric misses its threshold, saying so', () => {
    const error = errorOf(() => new ModelCard(bad, `Card${n++}`, {
      ...APPROVED, evaluations: [{ name: 'holdout', datasets: [], metrics: [{ name: 'auc', value: 0.7, threshold: { comparison: AT_LEAST, value: 0.75 } }] }],
    }));
    expect(error.message).toMatch(/:evaluations\[0\]\.metrics\[0\]\.value: received 0\.7; allowed: >= 0\.75 \(its threshold\) on an approved card/);
    expect(() => new ModelCard(bad, `Card${n++}`, {
      ...APPROVED, status: ModelCardStatus.PENDING_REVIEW,
      evaluations: [{ name: 'holdout', datasets: [], metrics: [{ name: 'auc', value: 0.7, threshold: { comparison: AT_LEAST, value: 0.75 } }] }],
    })).not.toThrow();
  });

  test('fails on metric values of the wrong type and thresholds on text metrics', () => {
    expect(problems({
      fairness: { metrics: [
        { name: 'di', value: '0.9' },
        { name: 'note', value: 'ok', type: ModelCardMetricType.STRING, threshold: { comparison: AT_LEAST, value: 1 } },
        { name: '', value: 1 },
      ] },
    })).toEqual(['fairness.metrics[0].value', 'fairness.metrics[1].threshold', 'fairness.metrics[2].name']);
  });

  test('fails on training data that is not in S3 or has no version', () => {
    expect(problems({ trainingData: [{ location: '/data/train.csv', version: '' }] })).toEqual(['trainingData[0].location', 'trainingData[0].version']);
  });

  test('fails on evaluation names that are too long, repeated or reserved', () => {
    const metrics = [{ name: 'auc', value: 0.9 }];
    expect(problems({
      evaluations: [{ name: 'x'.repeat(64), datasets: [], metrics }, { name: 'fairness', datasets: [], metrics }, { name: 'fairness', datasets: [], metrics: [] }],
    })).toEqual(['evaluations[0].name', 'evaluations[1].name', 'evaluations[2].name', 'evaluations[2].metrics']);
  });

  test('fails on a card name SageMaker would reject and on both a key and a key ring', () => {
    expect(problems({ modelCardName: 'credit_risk', encryptionKey: keys.key(KeyPurpose.MODEL_ARTIFACTS), keys })).toEqual(['encryptionKey', 'modelCardName']);
  });

  test('fails on content over the API limit of 100,000 characters', () => {
    const error = errorOf(() => new ModelCard(bad, `Card${n++}`, { ...APPROVED, trainingObservations: 'x'.repeat(100_000) }));
    expect(error.message).toMatch(/:content: received '\d+ characters of card content'; allowed: at most 100000 characters/);
  });
});
