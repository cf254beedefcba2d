import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IKeyRing, KeyPurpose, KeyRing } from '../security/key-ring';
import type { IModelRegistry } from './i-model-registry';
import { meetsThreshold, ModelCardDocument, ModelCardEvaluationDocument, renderModelCardMarkdown } from './model-card-markdown';

/** Your organisation's risk rating of the model (the card's `RiskRating`). */
export enum ModelCardRiskRating {
  HIGH = 'High',
  MEDIUM = 'Medium',
  LOW = 'Low',
  /** Not yet rated: allowed on draft and in-review cards, never on an approved one. */
  UNKNOWN = 'Unknown',
}

/** Where the card is in your review process (`ModelCardStatus`). */
export enum ModelCardStatus {
  DRAFT = 'Draft',
  PENDING_REVIEW = 'PendingReview',
  APPROVED = 'Approved',
  ARCHIVED = 'Archived',
}

/** The type of a metric value (the card's simple metric types). */
export enum ModelCardMetricType {
  NUMBER = 'number',
  STRING = 'string',
  BOOLEAN = 'boolean',
}

/** How a numeric metric is compared with its threshold. */
export enum ThresholdComparison {
  GREATER_THAN_OR_EQUAL = '>=',
  LESS_THAN_OR_EQUAL = '<=',
  GREATER_THAN = '>',
  LESS_THAN = '<',
}

/** What the model is for, and how risky that is. */
export interface ModelCardIntendedUses {
  /** The general purpose of the model. */
  readonly purposeOfModel: string;
  /** The uses the model is validated for (and, by omission, not for others). */
  readonly intendedUses: string;
  /**
   * Factors that affect the model's efficacy (populations, data ranges, conditions).
   * @default - none
   */
  readonly factorsAffectingModelEfficiency?: string;
  /** Your organisation's risk rating. */
  readonly riskRating: ModelCardRiskRating;
  /**
   * Why the model has its rating. Required for a High rating.
   * @default - none
   */
  readonly explanationsForRiskRating?: string;
}

/** How the model supports the business. */
export interface ModelCardBusinessDetails {
  /** @default - none */
  readonly businessProblem?: string;
  /** @default - none */
  readonly businessStakeholders?: string;
  /** @default - none */
  readonly lineOfBusiness?: string;
}

/** One training dataset. */
export interface ModelCardTrainingData {
  /** Its S3 location (`s3://bucket/prefix`). */
  readonly location: string;
  /** Its version (an S3 version id, a dataset release, a commit). */
  readonly version: string;
  /** @default - none */
  readonly description?: string;
}

/** A threshold a numeric metric must meet. */
export interface ModelCardThreshold {
  readonly comparison: ThresholdComparison;
  readonly value: number;
}

/** One evaluation metric. */
export interface ModelCardMetric {
  readonly name: string;
  /** A number (NUMBER), `true`/`false` (BOOLEAN) or text (STRING). */
  readonly value: any;
  /**
   * The type of `value`.
   * @default ModelCardMetricType.NUMBER
   */
  readonly type?: ModelCardMetricType;
  /**
   * The threshold of a numeric metric (shown in the card, and required to be met by an approved card).
   * @default - none
   */
  readonly threshold?: ModelCardThreshold;
  /** @default - none */
  readonly notes?: string;
}

/** One evaluation of the model. */
export interface ModelCardEvaluation {
  /** The evaluation's name, 1 to 63 characters. */
  readonly name: string;
  /** The S3 locations of the evaluation datasets. */
  readonly datasets: string[];
  readonly metrics: ModelCardMetric[];
  /** @default - none */
  readonly observations?: string;
  /**
   * The ARN of the evaluation job.
   * @default - none
   */
  readonly evaluationJobArn?: string;
}

/** Fairness metrics (disparate impact, difference in positive proportions, ...), recorded as the card's `fairness` evaluation. */
export interface ModelCardFairness {
  readonly metrics: ModelCardMetric[];
  /** @default - none */
  readonly datasets?: string[];
  /** @default - none */
  readonly observations?: string;
}

/** Properties of a `ModelCard`. */
export interface ModelCardProps {
  /** The model's name. */
  readonly modelName: string;
  /** What the model does. */
  readonly description: string;
  readonly intendedUses: ModelCardIntendedUses;
  /**
   * The training datasets and their versions: at least one on an approved card.
   */
  readonly trainingData: ModelCardTrainingData[];
  /** @default - none */
  readonly trainingObservations?: string;
  /** @default - none */
  readonly evaluations?: ModelCardEvaluation[];
  /** @default - none */
  readonly fairness?: ModelCardFairness;
  /** @default - none */
  readonly businessDetails?: ModelCardBusinessDetails;
  /**
   * Who approved the model (name, role or principal). Required when `status` is APPROVED.
   * @default - none
   */
  readonly approver?: string;
  /**
   * The card's review status.
   * @default ModelCardStatus.PENDING_REVIEW
   */
  readonly status?: ModelCardStatus;
  /** @default - none */
  readonly owner?: string;
  /** @default - none */
  readonly ethicalConsiderations?: string;
  /** @default - none */
  readonly caveatsAndRecommendations?: string;
  /**
   * The model's package group: its name is recorded on the card, and its key encrypts the card unless one is given.
   * @default - no package group recorded
   */
  readonly modelPackageGroup?: IModelRegistry;
  /**
   * The card's name (create-only), 1 to 63 letters, digits and hyphens.
   * @default - generated from the construct path
   */
  readonly modelCardName?: string;
  /**
   * The customer-managed key that encrypts the card's content (`SecurityConfig.KmsKeyId`; changing it replaces the card).
   * Not with `keys`.
   * @default - the MODEL_ARTIFACTS key of `keys`, else the package group's key, else of a `KeyRing` created here
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where the MODEL_ARTIFACTS key comes from. Not with `encryptionKey`.
   * @default - see `encryptionKey`
   */
  readonly keys?: IKeyRing;
}

/** The API accepts at most this many characters of card content (JSON). */
export const MODEL_CARD_CONTENT_LIMIT = 100_000;
/** Where the Markdown cards go in the cloud assembly. */
export const MODEL_CARDS_DIRECTORY = 'model-cards';
const CARD_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/**
 * A SageMaker model card (`AWS::SageMaker::ModelCard`) built from what the library knows: intended uses and risk
 * rating, training data locations and versions, evaluation metrics with their thresholds, fairness metrics, the
 * approver, the package group; encrypted with a customer-managed key. The same card is written as Markdown to
 * `model-cards/<construct path>.md` in the cloud assembly (`cdk.out/`) on every synth, for reviewers.
 *
 * Checks at synth: a High rating is explained; an approved card names its approver, records training data, has a
 * risk rating other than Unknown and every thresholded metric meets its threshold; the content fits the API's
 * 100,000 characters.
 *
 * Every change except a status change creates a new immutable version of the card in SageMaker.
 *
 * @example
 * new ModelCard(this, 'Card', {
 *   modelName: 'credit-risk', description: 'Probability of default for retail loans',
 *   intendedUses: { purposeOfModel: 'Credit decisioning support', intendedUses: 'Retail loan applications',
 *     riskRating: ModelCardRiskRating.HIGH, explanationsForRiskRating: 'Affects credit decisions (SR 11-7 tier 1)' },
 *   trainingData: [{ location: 's3://training/credit/2026-10/', version: 'v12' }],
 *   evaluations: [{ name: 'holdout-2026-10', datasets: ['s3://training/credit/holdout/'],
 *     metrics: [{ name: 'auc', value: 0.81, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.75 } }] }],
 *   status: ModelCardStatus.APPROVED, approver: 'model-risk-committee', modelPackageGroup: registry, keys,
 * });
 */
export class ModelCard extends Construct {
  /** The card resource. */
  public readonly card: sagemaker.CfnModelCard;
  /** The card's name. */
  public readonly modelCardName: string;
  /** The card's ARN. */
  public readonly modelCardArn: string;
  /** The key that encrypts the card's content. */
  public readonly encryptionKey: kms.IKey;
  /** Where the Markdown card is written, relative to the cloud assembly directory. */
  public readonly markdownPath: string;

  constructor(scope: Construct, id: string, private readonly props: ModelCardProps) {
    super(scope, id);
    validate(this.node.path, props);

    this.encryptionKey = props.encryptionKey
      ?? props.keys?.key(KeyPurpose.MODEL_ARTIFACTS)
      ?? props.modelPackageGroup?.encryptionKey
      ?? new KeyRing(this, 'Keys').key(KeyPurpose.MODEL_ARTIFACTS);
    const content = this.content();
    const evaluationDetails = this.evaluationDetails();
    checkContentSize(this, { ...content, evaluationDetails });

    this.card = new sagemaker.CfnModelCard(this, 'Resource', {
      modelCardName: props.modelCardName ?? Lazy.string({ produce: () => Names.uniqueResourceName(this.card, { maxLength: 63, separator: '-' }) }),
      modelCardStatus: props.status ?? ModelCardStatus.PENDING_REVIEW,
      content,
      securityConfig: { kmsKeyId: this.encryptionKey.keyArn },
    });
    // aws-cdk-lib types a metric's Value as a JSON object (its spec patch for the XOR metric types) and rejects the
    // number, text or boolean of a simple metric, which CloudFormation and the API take: the evaluations are written
    // as a property override, in the CloudFormation shape, past that L1 check.
    if (evaluationDetails.length > 0) this.card.addPropertyOverride('Content.EvaluationDetails', evaluationDetails);
    this.modelCardName = this.card.modelCardName;
    this.modelCardArn = this.card.attrModelCardArn;
    this.markdownPath = path.join(MODEL_CARDS_DIRECTORY, ...this.node.path.split('/').map(safeFileName)) + '.md';

    // The one synthesis hook CDK gives a construct to add files to the cloud assembly: called once per synth with
    // the assembly directory of the card's own stage, after validation.
    attachCustomSynthesis(this, { onSynthesize: (session: ISynthesisSession) => this.writeMarkdown(session.outdir) });
  }

  /** The card as the Markdown file shows it, with deploy-time values as their expressions. */
  public toDocument(): ModelCardDocument {
    const p = this.props;
    const stack = Stack.of(this);
    const show = (value: string): string => {
      if (!Token.isUnresolved(value)) return value;
      const resolved = stack.resolve(value);
      return typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
    };
    const evaluation = (e: { name: string; datasets?: string[]; metrics: ModelCardMetric[]; observations?: string }): ModelCardEvaluationDocument => ({
      name: e.name,
      datasets: (e.datasets ?? []).map(show),
      metrics: e.metrics.map((m) => ({ name: m.name, type: m.type ?? ModelCardMetricType.NUMBER, value: m.value, threshold: m.threshold, notes: m.notes })),
      observations: e.observations,
    });
    return {
      cardName: show(this.card.modelCardName),
      modelName: p.modelName,
      description: p.description,
      status: p.status ?? ModelCardStatus.PENDING_REVIEW,
      owner: p.owner,
      riskRating: p.intendedUses.riskRating,
      explanationsForRiskRating: p.intendedUses.explanationsForRiskRating,
      purposeOfModel: p.intendedUses.purposeOfModel,
      intendedUses: p.intendedUses.intendedUses,
      factorsAffectingModelEfficiency: p.intendedUses.factorsAffectingModelEfficiency,
      business: p.businessDetails && {
        problem: p.businessDetails.businessProblem, stakeholders: p.businessDetails.businessStakeholders, lineOfBusiness: p.businessDetails.lineOfBusiness,
      },
      trainingData: p.trainingData.map((d) => ({ location: show(d.location), version: d.version, description: d.description })),
      trainingObservations: p.trainingObservations,
      evaluations: (p.evaluations ?? []).map(evaluation),
      fairness: p.fairness && evaluation({ name: 'fairness', ...p.fairness }),
      approver: p.approver,
      ethicalConsiderations: p.ethicalConsiderations,
      caveatsAndRecommendations: p.caveatsAndRecommendations,
      modelPackageGroup: p.modelPackageGroup && show(p.modelPackageGroup.modelPackageGroupName),
      // A key of this app has no ARN before deployment: name it by construct path rather than by an intrinsic.
      encryptionKey: Token.isUnresolved(this.encryptionKey.keyArn) ? `${this.encryptionKey.node.path} (ARN known at deploy time)` : this.encryptionKey.keyArn,
      source: this.node.path,
    };
  }

  private writeMarkdown(outdir: string): void {
    const file = path.join(outdir, this.markdownPath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderModelCardMarkdown(this.toDocument()));
  }

  /** The evaluations and the fairness metrics as `Content.EvaluationDetails`, in the CloudFormation shape. */
  private evaluationDetails(): Record<string, unknown>[] {
    const p = this.props;
    const evaluation = (name: string, datasets: string[] | undefined, metrics: ModelCardMetric[], observations?: string, jobArn?: string) => ({
      Name: name,
      Datasets: datasets,
      EvaluationObservation: observations,
      EvaluationJobArn: jobArn,
      MetricGroups: [{ Name: name, MetricData: metrics.map(metricItem) }],
    });
    return [
      ...(p.evaluations ?? []).map((e) => evaluation(e.name, e.datasets, e.metrics, e.observations, e.evaluationJobArn)),
      ...(p.fairness ? [evaluation('fairness', p.fairness.datasets, p.fairness.metrics, p.fairness.observations)] : []),
    ];
  }

  /** The rest of the card content, in the CloudFormation shape (`AWS::SageMaker::ModelCard Content`). */
  private content(): sagemaker.CfnModelCard.ContentProperty {
    const p = this.props;
    const versions = p.trainingData.map((d) => `${d.location} @ ${d.version}${d.description ? ` (${d.description})` : ''}`);
    const observations = [
      ...(versions.length > 0 ? [`Training data versions: ${versions.join('; ')}.`] : []),
      ...(p.trainingObservations ? [p.trainingObservations] : []),
    ].join('\n');
    const customDetails: Record<string, string> = {};
    if (p.approver) customDetails.approver = p.approver;
    p.trainingData.forEach((d, i) => { customDetails[`training-data-${i + 1}-version`] = d.version; });
    return {
      modelOverview: { modelName: p.modelName, modelDescription: p.description, modelOwner: p.owner },
      intendedUses: {
        purposeOfModel: p.intendedUses.purposeOfModel,
        intendedUses: p.intendedUses.intendedUses,
        factorsAffectingModelEfficiency: p.intendedUses.factorsAffectingModelEfficiency,
        riskRating: p.intendedUses.riskRating,
        explanationsForRiskRating: p.intendedUses.explanationsForRiskRating,
      },
      businessDetails: p.businessDetails,
      trainingDetails: {
        trainingJobDetails: p.trainingData.length > 0 ? { trainingDatasets: p.trainingData.map((d) => d.location) } : undefined,
        trainingObservations: observations || undefined,
      },
      additionalInformation: {
        ethicalConsiderations: p.ethicalConsiderations,
        caveatsAndRecommendations: p.caveatsAndRecommendations,
        customDetails: Object.keys(customDetails).length > 0 ? customDetails : undefined,
      },
      modelPackageDetails: p.modelPackageGroup ? { modelPackageGroupName: p.modelPackageGroup.modelPackageGroupName } : undefined,
    };
  }
}

function metricItem(m: ModelCardMetric): Record<string, unknown> {
  return { Name: m.name, Type: m.type ?? ModelCardMetricType.NUMBER, Value: m.value, Notes: metricItemNotes(m) };
}

/** The card has no threshold field: the threshold goes in the metric's notes. */
function metricItemNotes(m: ModelCardMetric): string | undefined {
  const threshold = m.threshold ? `threshold ${m.threshold.comparison} ${m.threshold.value}` : undefined;
  return [threshold, m.notes].filter((n) => n !== undefined).join('; ') || undefined;
}

/** A construct id as a file name: letters, digits, dot, dash and underscore. */
function safeFileName(segment: string): string {
  return segment.replace(/[^A-Za-z0-9._-]/g, '_');
}

/**
 * The API takes the content as JSON with snake_case keys; its length is checked in that form (deploy-time values
 * count as their placeholders, so a card near the limit may still be refused).
 */
function checkContentSize(card: Construct, content: object): void {
  const snake = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(snake);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.replace(/(?!^)[A-Z]/g, (c) => `_${c}`).toLowerCase(), snake(v)]));
  };
  const length = JSON.stringify(snake(content)).length;
  const problems = new ProblemCollector(card.node.path, 'ModelCard');
  problems.check(length > MODEL_CARD_CONTENT_LIMIT, 'content', `${length} characters of card content`, `at most ${MODEL_CARD_CONTENT_LIMIT} characters (the SageMaker API limit)`,
    'shorten observations and descriptions, or move detailed results to evaluation reports in S3 and link them');
  problems.throwIfAny();
}

function validate(path: string, props: ModelCardProps): void {
  const problems = new ProblemCollector(path, 'ModelCard');
  const known = (v: string | undefined) => v !== undefined && !Token.isUnresolved(v);
  const status = props.status ?? ModelCardStatus.PENDING_REVIEW;
  const approved = status === ModelCardStatus.APPROVED;
  const uses = props.intendedUses ?? ({} as ModelCardIntendedUses);
  const ratings = Object.values(ModelCardRiskRating) as string[];
  problems.check(!ratings.includes(uses.riskRating), 'intendedUses.riskRating', uses.riskRating, ratings.join(', '),
    'rate the model with your model risk policy; use UNKNOWN only while the card is a draft');
  problems.check(uses.riskRating === ModelCardRiskRating.HIGH && !uses.explanationsForRiskRating?.trim(), 'intendedUses.explanationsForRiskRating',
    uses.explanationsForRiskRating, 'an explanation of why the model is rated High', 'say what makes the model high risk (decisions it affects, populations, regulation)');
  problems.check(approved && uses.riskRating === ModelCardRiskRating.UNKNOWN, 'intendedUses.riskRating', uses.riskRating,
    'High, Medium or Low on an approved card', 'rate the model before approving its card');
  problems.check(approved && !props.approver?.trim(), 'approver', props.approver, 'who approved the model, on an approved card', 'name the approver (person, committee or role)');
  problems.check(approved && (props.trainingData ?? []).length === 0, 'trainingData', props.trainingData, 'at least one dataset on an approved card',
    'record the training data locations and versions');
  problems.check(props.encryptionKey !== undefined && props.keys !== undefined, 'encryptionKey', 'both encryptionKey and keys', 'one of them',
    'pass encryptionKey, or keys to use its MODEL_ARTIFACTS key');
  if (known(props.modelCardName)) {
    problems.check(!CARD_NAME.test(props.modelCardName!), 'modelCardName', props.modelCardName, '1 to 63 letters, digits and hyphens, not starting or ending with a hyphen',
      'omit modelCardName for a generated one');
  }
  (props.trainingData ?? []).forEach((d, i) => {
    if (known(d.location)) problems.check(!/^s3:\/\/[^/]+/.test(d.location), `trainingData[${i}].location`, d.location, 'an S3 URI (s3://bucket/prefix)', 'pass the dataset\'s S3 location');
    problems.check(!d.version?.trim(), `trainingData[${i}].version`, d.version, 'a version (S3 version id, dataset release, commit)', 'record which version the model was trained on');
  });
  const checkMetrics = (at: string, metrics: ModelCardMetric[]) => metrics.forEach((m, j) => {
    const where = `${at}.metrics[${j}]`;
    const type = m.type ?? ModelCardMetricType.NUMBER;
    problems.check(!m.name?.trim() || m.name.length > 255, `${where}.name`, m.name, '1 to 255 characters', 'name the metric');
    const notes = metricItemNotes(m);
    problems.check(notes !== undefined && notes.length > 1024, `${where}.notes`, notes, 'at most 1024 characters (with the threshold)', 'shorten the notes');
    const typeOk = type === ModelCardMetricType.NUMBER ? typeof m.value === 'number' && Number.isFinite(m.value)
      : type === ModelCardMetricType.BOOLEAN ? typeof m.value === 'boolean' : typeof m.value === 'string';
    problems.check(!typeOk, `${where}.value`, m.value, `a ${type === ModelCardMetricType.NUMBER ? 'finite number' : type} (type ${type})`, 'pass a value of the metric\'s type, or set type');
    if (m.threshold) {
      problems.check(type !== ModelCardMetricType.NUMBER, `${where}.threshold`, m.threshold, 'thresholds only on NUMBER metrics', 'remove the threshold');
      if (approved && typeOk && type === ModelCardMetricType.NUMBER && !meetsThreshold(m.value, m.threshold.comparison, m.threshold.value)) {
        problems.add(`${where}.value`, m.value, `${m.threshold.comparison} ${m.threshold.value} (its threshold) on an approved card`,
          'do not approve a model that misses its thresholds, or document and change the threshold through your validation process');
      }
    }
  });
  const names = new Set<string>();
  (props.evaluations ?? []).forEach((e, i) => {
    const at = `evaluations[${i}]`;
    problems.check(!e.name || e.name.length > 63, `${at}.name`, e.name, '1 to 63 characters', 'use a short evaluation name, e.g. holdout-2026-10');
    problems.check(names.has(e.name) || e.name === 'fairness', `${at}.name`, e.name, 'a name no other evaluation uses (fairness is taken by the fairness metrics)', 'rename the evaluation');
    names.add(e.name);
    problems.check(e.metrics.length === 0, `${at}.metrics`, e.metrics, 'at least one metric', 'record the evaluation\'s metrics');
    checkMetrics(at, e.metrics);
  });
  if (props.fairness) {
    problems.check(props.fairness.metrics.length === 0, 'fairness.metrics', props.fairness.metrics, 'at least one metric', 'record the fairness metrics, or omit fairness');
    checkMetrics('fairness', props.fairness.metrics);
  }
  problems.throwIfAny();
}
