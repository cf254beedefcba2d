import { Arn, ArnFormat, Names, RemovalPolicy, Resource, Stack, Tags, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IKeyRing, KeyPurpose, KeyRing } from '../security/key-ring';
import { IModelRegistry } from './i-model-registry';
import { APPROVED, grantStatements, readerStatements, registrantStatements } from './registry-permissions';

/** Model risk tier (SR 11-7 model inventory), the values of the `risk-tier` tag and of a model card's `RiskRating`. */
export enum RiskTier {
  HIGH = 'High',
  MEDIUM = 'Medium',
  LOW = 'Low',
}

/** Inventory tag: the model's identifier in the model inventory. */
export const MODEL_ID_TAG = 'model-id';
/** Inventory tag: the accountable owner (team or person) of the model. */
export const OWNER_TAG = 'owner';
/** Inventory tag: the model's risk tier (`High`, `Medium`, `Low`). */
export const RISK_TIER_TAG = 'risk-tier';

/** The `detail-type` SageMaker sends when a model package is registered or its approval status changes. */
export const MODEL_PACKAGE_STATE_CHANGE = 'SageMaker Model Package State Change';

/** Properties of a `ModelRegistry`. */
export interface ModelRegistryProps {
  /**
   * The model package group's name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or
   * digit. Create-only: changing it replaces the group (and a group holding versions cannot be deleted).
   * @default - derived from the construct path: lowercase, deterministic, at most 63 characters
   */
  readonly modelPackageGroupName?: string;
  /**
   * What the model is for, at most 1024 characters. Create-only.
   * @default - no description
   */
  readonly description?: string;
  /** The accountable owner of the model (a team or person), tagged `owner` for the model inventory. */
  readonly owner: string;
  /** The model's risk tier, tagged `risk-tier` for the model inventory. */
  readonly riskTier: RiskTier;
  /**
   * The model's identifier in the model inventory, tagged `model-id`.
   * @default - the model package group's name
   */
  readonly modelId?: string;
  /**
   * AWS account ids (12 digits) that may read the group and its versions (DescribeModelPackageGroup,
   * DescribeModelPackage, ListModelPackages): a deployment account resolving the approved version. They can never
   * register, approve or reject. With a key of this stack, its key policy lets those accounts decrypt package
   * content through SageMaker.
   * @default - no cross-account access (no group policy)
   */
  readonly readAccounts?: string[];
  /**
   * The customer-managed key for package and model card content (`SecurityConfig.KmsKeyId` when a version or card
   * is registered). Not with `keys`.
   * @default - the MODEL_ARTIFACTS key of `keys`, or of a `KeyRing` created here
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The key ring to take the MODEL_ARTIFACTS key from. Not with `encryptionKey`.
   * @default - a `KeyRing` created here (child 'Keys')
   */
  readonly keys?: IKeyRing;
  /**
   * An SNS topic told about every state change of the group's versions (registered, approved, rejected), for the
   * review board. An encrypted topic's key must let `events.amazonaws.com` use it.
   * @default - no notification; use `onStateChange` / `onApproved` to route events
   */
  readonly reviewTopic?: sns.ITopic;
  /**
   * What happens to the group when the stack is deleted. The group is the model's inventory record.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An existing model package group, by name or ARN (exactly one). */
export interface ModelRegistryAttributes {
  /**
   * The group's name (in this stack's account and region).
   * @default - taken from `modelPackageGroupArn`
   */
  readonly modelPackageGroupName?: string;
  /**
   * The group's ARN; use it for a group of another account (shared with this one through `readAccounts`).
   * @default - built from `modelPackageGroupName` in this stack's account and region
   */
  readonly modelPackageGroupArn?: string;
  /**
   * The key that encrypts the group's package content, so `grantRead` can let readers decrypt it through SageMaker.
   * @default - unknown: grants give no key access
   */
  readonly encryptionKey?: kms.IKey;
}

/** SageMaker's name pattern for model package groups (and models, endpoints...). */
const NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const MAX_NAME = 63;
const MAX_DESCRIPTION = 1024;
/** Tag values: letters, digits, spaces and `_ . : / = + - @`, at most 256 characters. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

abstract class ModelRegistryBase extends Resource implements IModelRegistry {
  public abstract readonly modelPackageGroupName: string;
  public abstract readonly modelPackageGroupArn: string;
  public abstract readonly encryptionKey?: kms.IKey;

  public modelPackageArn(version: string): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker', region: this.env.region, account: this.env.account,
      resource: 'model-package', resourceName: `${this.modelPackageGroupName}/${version}`,
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, readerStatements(this));
  }

  public grantRegister(grantee: iam.IGrantable): iam.Grant {
    return grantStatements(grantee, registrantStatements(this));
  }

  public onStateChange(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options, {});
  }

  public onApproved(id: string, options: events.OnEventOptions = {}): events.Rule {
    return this.stateChangeRule(id, options, { ModelApprovalStatus: [APPROVED] });
  }

  private stateChangeRule(id: string, options: events.OnEventOptions, detail: Record<string, string[]>): events.Rule {
    const rule = new events.Rule(this, id, {
      description: options.description, ruleName: options.ruleName, crossStackScope: options.crossStackScope,
    });
    rule.addEventPattern({
      source: ['aws.sagemaker'],
      detailType: [MODEL_PACKAGE_STATE_CHANGE],
      detail: { ModelPackageGroupName: [this.modelPackageGroupName], ...detail },
    });
    if (options.eventPattern) rule.addEventPattern(options.eventPattern);
    if (options.target) rule.addTarget(options.target);
    return rule;
  }
}

/**
 * A SageMaker model registry for one model: a model package group whose versions are registered as
 * `PendingManualApproval` and deployed only once approved.
 *
 * Under the hood: the `AWS::SageMaker::ModelPackageGroup` (retained on stack deletion) tagged for the model
 * inventory with `model-id`, `owner` and `risk-tier`; a customer-managed key for package and card content (the
 * MODEL_ARTIFACTS key); with `readAccounts`, a group policy that lets those accounts read (never register or
 * approve) and a key policy statement that lets them decrypt through SageMaker; with `reviewTopic`, an EventBridge
 * rule on "SageMaker Model Package State Change" of this group to the topic.
 *
 * Who may register and who may approve is set by an `ApprovalWorkflow` (or `grantRegister`); which version
 * serves is resolved at deploy time by an `ApprovedModel`.
 *
 * @example
 * const registry = new ModelRegistry(this, 'CreditRisk', { owner: 'credit-models', riskTier: RiskTier.HIGH, keys });
 * new ApprovalWorkflow(this, 'Approval', { registry });
 * registry.onApproved('Redeploy', { target: new targets.CodePipeline(pipeline) });
 */
export class ModelRegistry extends ModelRegistryBase {
  /** References a group of this stack's account and region by name. */
  public static fromModelPackageGroupName(scope: Construct, id: string, modelPackageGroupName: string): IModelRegistry {
    return ModelRegistry.fromModelPackageGroupAttributes(scope, id, { modelPackageGroupName });
  }

  /** References a group by ARN, possibly of another account (which must list this one in its `readAccounts`). */
  public static fromModelPackageGroupArn(scope: Construct, id: string, modelPackageGroupArn: string): IModelRegistry {
    return ModelRegistry.fromModelPackageGroupAttributes(scope, id, { modelPackageGroupArn });
  }

  /** References a group by name or ARN, with the key of its content. */
  public static fromModelPackageGroupAttributes(scope: Construct, id: string, attrs: ModelRegistryAttributes): IModelRegistry {
    const problems = new ProblemCollector(`${scope.node.path}/${id}`, 'ModelRegistry import');
    const given = [attrs.modelPackageGroupName, attrs.modelPackageGroupArn].filter((v) => v !== undefined).length;
    problems.check(given !== 1, 'modelPackageGroupName', given === 0 ? undefined : 'both a name and an ARN',
      'exactly one of modelPackageGroupName and modelPackageGroupArn', 'pass the name for a group of this account, the ARN for one of another');
    if (attrs.modelPackageGroupName !== undefined) checkName(problems, attrs.modelPackageGroupName);
    problems.throwIfAny();

    const stack = Stack.of(scope);
    const arn = attrs.modelPackageGroupArn
      ?? stack.formatArn({ service: 'sagemaker', resource: 'model-package-group', resourceName: attrs.modelPackageGroupName });
    const name = attrs.modelPackageGroupName ?? Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
    class Imported extends ModelRegistryBase {
      public readonly modelPackageGroupName = name;
      public readonly modelPackageGroupArn = arn;
      public readonly encryptionKey = attrs.encryptionKey;
    }
    return new Imported(scope, id, { environmentFromArn: arn });
  }

  public readonly modelPackageGroupName: string;
  public readonly modelPackageGroupArn: string;
  public readonly encryptionKey: kms.IKey;
  /** The model package group. */
  public readonly modelPackageGroup: sagemaker.CfnModelPackageGroup;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    validate(this.node.path, props);

    this.modelPackageGroupName = props.modelPackageGroupName ?? generatedName(this);
    this.modelPackageGroupArn = Stack.of(this).formatArn({
      service: 'sagemaker', resource: 'model-package-group', resourceName: this.modelPackageGroupName,
    });
    this.encryptionKey = props.encryptionKey ?? (props.keys ?? new KeyRing(this, 'Keys')).key(KeyPurpose.MODEL_ARTIFACTS);

    const readers = props.readAccounts?.map((account) => new iam.AccountPrincipal(account)) ?? [];
    this.modelPackageGroup = new sagemaker.CfnModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: this.modelPackageGroupName,
      modelPackageGroupDescription: props.description,
      modelPackageGroupPolicy: readers.length > 0 ? this.readPolicy(readers) : undefined,
    });
    this.modelPackageGroup.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    Tags.of(this.modelPackageGroup).add(MODEL_ID_TAG, props.modelId ?? this.modelPackageGroupName);
    Tags.of(this.modelPackageGroup).add(OWNER_TAG, props.owner);
    Tags.of(this.modelPackageGroup).add(RISK_TIER_TAG, props.riskTier);

    if (readers.length > 0) {
      // Ignored by an imported key (its policy is not ours): its owner must add the same statement.
      this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: `SageMakerReadFor${Names.uniqueId(this)}`,
        principals: readers,
        actions: ['kms:Decrypt', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sagemaker.${Stack.of(this).region}.amazonaws.com` } },
      }));
    }
    if (props.reviewTopic) {
      this.onStateChange('ReviewNotification', {
        description: `Versions of ${this.node.path} registered, approved or rejected: notify the review board`,
        target: new targets.SnsTopic(props.reviewTopic),
      });
    }
  }

  /** Read-only access for other accounts: describe the group, describe and list its versions. */
  private readPolicy(readers: iam.IPrincipal[]): iam.PolicyDocument {
    return new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'CrossAccountReadGroup', principals: readers, actions: ['sagemaker:DescribeModelPackageGroup'], resources: [this.modelPackageGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'CrossAccountReadVersions',
          principals: readers,
          actions: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'],
          resources: [this.modelPackageArn('*')],
        }),
      ],
    });
  }
}

/** A deterministic group name from the construct path: letters, digits and single hyphens, lowercase, <= 63. */
function generatedName(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: MAX_NAME, separator: '-' })
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

function checkName(problems: ProblemCollector, name: string): void {
  if (Token.isUnresolved(name)) return;
  problems.check(name.length > MAX_NAME || !NAME.test(name), 'modelPackageGroupName', name,
    `1 to ${MAX_NAME} letters, digits and hyphens, starting and ending with a letter or digit`,
    'use a name such as credit-risk-pd, or omit it for a generated one');
}

function validate(path: string, props: ModelRegistryProps): void {
  const problems = new ProblemCollector(path, 'ModelRegistry');
  if (props.modelPackageGroupName !== undefined) checkName(problems, props.modelPackageGroupName);
  if (props.description !== undefined && !Token.isUnresolved(props.description)) {
    problems.check(props.description.length > MAX_DESCRIPTION, 'description', `${props.description.length} characters`,
      `at most ${MAX_DESCRIPTION} characters`, 'shorten the description; put the documentation in the model card');
  }
  const tagValue = (prop: string, value: string | undefined, fix: string) => {
    if (value !== undefined && Token.isUnresolved(value)) return;
    problems.check(value === undefined || !TAG_VALUE.test(value), prop, value,
      'a tag value: 1 to 256 letters, digits, spaces and _ . : / = + - @', fix);
  };
  tagValue('owner', props.owner, "name the accountable team or person, e.g. 'credit-risk-models'");
  if (props.modelId !== undefined) tagValue('modelId', props.modelId, 'use the model inventory id, or omit modelId to use the group name');
  const tiers = Object.values(RiskTier) as string[];
  problems.check(!tiers.includes(props.riskTier), 'riskTier', props.riskTier, tiers.join(', '),
    'set riskTier to RiskTier.HIGH, RiskTier.MEDIUM or RiskTier.LOW as rated by model risk management');
  problems.check(props.encryptionKey !== undefined && props.keys !== undefined, 'keys', 'a key ring together with encryptionKey',
    'encryptionKey or keys, not both', 'pass the key ring as keys, or the key as encryptionKey');
  if (props.readAccounts) {
    problems.check(props.readAccounts.length === 0, 'readAccounts', [], 'at least one account id, or no readAccounts',
      'omit readAccounts for no cross-account access');
    props.readAccounts.forEach((account, i) => {
      if (Token.isUnresolved(account)) return;
      problems.check(!/^\d{12}$/.test(account), `readAccounts[${i}]`, account, 'a 12-digit AWS account id',
        'name the account by its id (not an ARN, alias or *); its administrators then grant read to their own roles');
      problems.check(props.readAccounts!.indexOf(account) !== i, `readAccounts[${i}]`, account, 'each account once', 'remove the duplicate');
    });
  }
  problems.throwIfAny();
}
