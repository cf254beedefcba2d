import { App, Stack, StackProps, Stage } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SERVING_CLUSTER_INTERFACE_ENDPOINTS } from '../../constructs/eks/serving-cluster';
import { ApprovalWorkflow } from '../../constructs/registry/approval-workflow';
import { ModelCard } from '../../constructs/registry/model-card';
import { ModelRegistry } from '../../constructs/registry/model-registry';
import { AccessLogBucket } from '../../constructs/security/access-log-bucket';
import { AuditTrail } from '../../constructs/security/audit-trail';
import { BucketContents, EncryptedBucket } from '../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../constructs/security/key-ring';
import { DEFAULT_INTERFACE_ENDPOINTS, PrivateNetwork } from '../../constructs/security/private-network';
import { ProblemCollector } from '../core/errors';
import { ServedModel } from './served-model';

/** Properties of the foundation stack. */
export interface FoundationStackProps extends StackProps {
  /**
   * The models of the inventory: each gets a registry (model package group), an approval workflow separating
   * registration, approval and deployment, and a model card.
   * @default - none (registries can be added with `addModel`)
   */
  readonly models?: ServedModel[];
  /**
   * Adds the VPC endpoints an EKS serving cluster in isolated subnets needs (ec2, eks, eks-auth, elasticloadbalancing,
   * lambda) to the default ones.
   * @default false
   */
  readonly servingClusterEndpoints?: boolean;
  /**
   * Accounts allowed to pull model images (e.g. the production account pulling from a tooling account).
   * @default - none
   */
  readonly imagePullAccounts?: string[];
  /**
   * Who may assume the approver role of each model's approval workflow (the model validation team's federated roles).
   * @default - principals of this account that IAM allows to assume it
   */
  readonly approverAssumedBy?: iam.IPrincipal;
}

/** What the foundation keeps for one model of the inventory. */
export interface ModelRegistration {
  readonly model: ServedModel;
  readonly registry: ModelRegistry;
  readonly approval: ApprovalWorkflow;
  readonly card: ModelCard;
}

const MODEL_NAME = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The shared foundation every serving runtime stands on: one key per purpose, a private network, the audit trail,
 * the buckets of training data and model artifacts, the image repository, and per model a registry, its approval
 * workflow and its model card.
 *
 * The trail records the S3 data events of every bucket of the account: the runtimes' capture buckets live in stacks
 * that use this one's keys and network, and naming them here would make the stacks depend on each other.
 */
export class FoundationStack extends Stack {
  public readonly keys: KeyRing;
  public readonly network: PrivateNetwork;
  public readonly auditTrail: AuditTrail;
  public readonly accessLogs: AccessLogBucket;
  public readonly trainingData: EncryptedBucket;
  public readonly modelArtifacts: EncryptedBucket;
  public readonly images: ImageRepository;
  private readonly registrations = new Map<string, ModelRegistration>();
  private readonly approverAssumedBy?: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: FoundationStackProps = {}) {
    super(scope, id, props);
    this.approverAssumedBy = props.approverAssumedBy;
    this.keys = new KeyRing(this, 'Keys');
    this.network = new PrivateNetwork(this, 'Network', {
      keys: this.keys,
      interfaceEndpoints: props.servingClusterEndpoints ? [...DEFAULT_INTERFACE_ENDPOINTS, ...SERVING_CLUSTER_INTERFACE_ENDPOINTS] : undefined,
    });
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs');
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { keys: this.keys, accessLogBucket: this.accessLogs.bucket, recordAllS3DataEvents: true });
    const shared = { keys: this.keys, accessLogBucket: this.accessLogs.bucket, auditTrail: this.auditTrail };
    this.trainingData = new EncryptedBucket(this, 'TrainingData', { ...shared, contents: BucketContents.TRAINING_DATA, accessLogPrefix: 'training-data/' });
    this.modelArtifacts = new EncryptedBucket(this, 'ModelArtifacts', {
      ...shared, purpose: KeyPurpose.MODEL_ARTIFACTS, contents: BucketContents.MODEL_ARTIFACTS, accessLogPrefix: 'model-artifacts/',
    });
    this.images = new ImageRepository(this, 'Images', { keys: this.keys, pullAccounts: props.imagePullAccounts });
    for (const model of props.models ?? []) this.addModel(model);
  }

  /** Registers a model of the inventory: its registry, approval workflow and model card. */
  public addModel(model: ServedModel): ModelRegistration {
    const problems = new ProblemCollector(this.node.path, 'FoundationStack');
    problems.check(!MODEL_NAME.test(model.name), 'models[].name', model.name, 'lower-case letters, digits and hyphens, starting with a letter, at most 40 characters',
      "rename the model, e.g. 'credit-risk'");
    problems.check(this.registrations.has(model.name), 'models[].name', model.name, 'each model once', 'remove the duplicate or rename one model');
    // Environments may share an account and region: inside a Stage the group name carries the stage's name.
    const stage = Stage.of(this);
    const prefix = stage && !App.isApp(stage) ? `${stage.stageName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-` : '';
    const groupName = `${prefix}${model.name}`;
    problems.check(groupName.length > 63, 'models[].name', model.name, `a name that fits the registry group name '${groupName}' in 63 characters`,
      'shorten the model name or the stage name');
    problems.throwIfAny();

    const scope = new Construct(this, model.name);
    const registry = new ModelRegistry(scope, 'Registry', {
      modelPackageGroupName: groupName, description: model.description, owner: model.owner, riskTier: model.riskTier, keys: this.keys,
    });
    const approval = new ApprovalWorkflow(scope, 'Approval', { registry, approverAssumedBy: this.approverAssumedBy });
    const card = new ModelCard(scope, 'Card', {
      modelName: model.name, description: model.description, owner: model.owner, modelPackageGroup: registry,
      intendedUses: model.intendedUses, trainingData: model.trainingData, evaluations: model.evaluations,
      businessDetails: model.businessDetails, keys: this.keys,
    });
    const registration = { model, registry, approval, card };
    this.registrations.set(model.name, registration);
    return registration;
  }

  /** The registration of a model added to this foundation; an error naming the registered models otherwise. */
  public registration(name: string): ModelRegistration {
    const found = this.registrations.get(name);
    if (!found) {
      const problems = new ProblemCollector(this.node.path, 'FoundationStack');
      problems.add('model', name, [...this.registrations.keys()].join(', ') || 'no model registered yet', 'register the model in the foundation (models or addModel) first');
      problems.throwIfAny();
    }
    return found!;
  }
}
