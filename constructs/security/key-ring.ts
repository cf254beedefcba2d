import { Aws, Duration, RemovalPolicy, Resource, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';

/** What a key protects. Each purpose gets its own key, so access to one kind of data never implies another. */
export enum KeyPurpose {
  /** Training data and captured inference data (S3, SageMaker data capture, EKS secrets). */
  DATA = 'data',
  /** Model artifacts and images (S3 model buckets, ECR, SageMaker volumes and model packages). */
  MODEL_ARTIFACTS = 'model-artifacts',
  /** CloudWatch Logs (flow logs, control-plane logs, application logs). */
  LOGS = 'logs',
  /** The audit trail (CloudTrail log files and their bucket). */
  AUDIT = 'audit',
}

/** AWS services that use a purpose's key on a caller's behalf (through `kms:ViaService`). */
const VIA_SERVICES: Record<KeyPurpose, readonly string[]> = {
  [KeyPurpose.DATA]: ['sagemaker', 'eks'],
  [KeyPurpose.MODEL_ARTIFACTS]: ['sagemaker', 'ecr'],
  [KeyPurpose.LOGS]: [],
  [KeyPurpose.AUDIT]: [],
};

/** Key management actions: everything but using the key, and never `kms:CreateGrant`. */
const ADMIN_ACTIONS = [
  'kms:Describe*', 'kms:List*', 'kms:Get*', 'kms:Enable*', 'kms:Disable*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Delete*', 'kms:CreateAlias', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** The principal tag that marks an IAM role or user as a user of a purpose's key. */
export function keyUserTag(purpose: KeyPurpose): string {
  return `regulated-mlops:kms-${purpose}`;
}

/** A source of purpose keys: a `KeyRing`, or keys imported from elsewhere. */
export interface IKeyRing {
  /** The key for a purpose. */
  key(purpose: KeyPurpose): kms.IKey;
}

/** Properties of a `KeyRing`. */
export interface KeyRingProps {
  /**
   * Principals that administer the keys (change policy, rotate, schedule deletion) but cannot use them.
   * @default - only the account root, through IAM policies, may administer
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * Rotation period of every key, 90 to 2560 days.
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;
  /**
   * Waiting period before a deleted key is destroyed, 7 to 30 days.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
  /**
   * What happens to the keys when the stack is deleted. Destroying a key destroys every object encrypted with it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Customer-managed KMS keys, one per purpose, created on first request. Key policies separate duties:
 * administrators (and the account root, so the key can never be locked out) manage but cannot use a key;
 * users are the IAM principals the key was granted to, marked with a principal tag; AWS services get only
 * what they need, scoped by `aws:SourceAccount`, encryption context or `kms:ViaService`, and
 * `kms:CreateGrant` only with `kms:GrantIsForAWSResource`.
 *
 * @example
 * const keys = new KeyRing(this, 'Keys');
 * new EncryptedBucket(this, 'Data', { encryptionKey: keys.key(KeyPurpose.DATA) });
 */
export class KeyRing extends Construct implements IKeyRing {
  /** Imports existing keys, by purpose. Grants then add to principal policies only: the key policies are yours. */
  public static fromKeyArns(scope: Construct, id: string, arns: Partial<Record<KeyPurpose, string>>): IKeyRing {
    const imported = new Construct(scope, id);
    return {
      key(purpose: KeyPurpose): kms.IKey {
        const arn = arns[purpose];
        if (!arn) {
          const problems = new ProblemCollector(imported.node.path, 'KeyRing.fromKeyArns');
          problems.add(purpose, undefined, `one of the imported purposes (${Object.keys(arns).join(', ') || 'none'})`, `pass the ARN of the ${purpose} key`);
          problems.throwIfAny();
        }
        return (imported.node.tryFindChild(purpose) as kms.IKey | undefined) ?? kms.Key.fromKeyArn(imported, purpose, arn!);
      },
    };
  }

  private readonly keys = new Map<KeyPurpose, kms.Key>();

  constructor(scope: Construct, id: string, private readonly props: KeyRingProps = {}) {
    super(scope, id);
    const problems = new ProblemCollector(this.node.path, 'KeyRing');
    const rotation = props.rotationPeriod?.toDays();
    problems.check(rotation !== undefined && (rotation < 90 || rotation > 2560), 'rotationPeriod', `${rotation} days`, '90 to 2560 days', 'use Duration.days(365)');
    const pending = props.pendingWindow?.toDays();
    problems.check(pending !== undefined && (pending < 7 || pending > 30), 'pendingWindow', `${pending} days`, '7 to 30 days', 'use Duration.days(30)');
    problems.throwIfAny();
  }

  /** The key for a purpose (created on first request). */
  public key(purpose: KeyPurpose): kms.Key {
    let key = this.keys.get(purpose);
    if (!key) {
      key = this.createKey(purpose);
      this.keys.set(purpose, key);
    }
    return key;
  }

  /** The keys created so far. */
  public get createdKeys(): kms.Key[] {
    return [...this.keys.values()];
  }

  private createKey(purpose: KeyPurpose): kms.Key {
    const id = purpose.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
    const key = new PurposeKey(this, id, purpose, {
      description: `regulated-mlops ${purpose} key (${this.node.path})`,
      enableKeyRotation: true,
      rotationPeriod: this.props.rotationPeriod ?? Duration.days(365),
      pendingWindow: this.props.pendingWindow ?? Duration.days(30),
      removalPolicy: this.props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument(),
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AccountAdministersThroughIam',
      principals: [new iam.AccountRootPrincipal()],
      actions: ADMIN_ACTIONS,
      resources: ['*'],
    }));
    if (this.props.administrators?.length) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'KeyAdministrators', principals: this.props.administrators, actions: ADMIN_ACTIONS, resources: ['*'],
      }));
    }
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'TaggedKeyUsers',
      principals: [new iam.AccountRootPrincipal()],
      actions: USE_ACTIONS,
      resources: ['*'],
      conditions: { StringEquals: { [`aws:PrincipalTag/${keyUserTag(purpose)}`]: 'use' } },
    }));
    const via = VIA_SERVICES[purpose].map((s) => `${s}.${Aws.REGION}.amazonaws.com`);
    if (via.length > 0) {
      const scoped = { 'kms:ViaService': via, 'kms:CallerAccount': Aws.ACCOUNT_ID };
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'UseThroughServices', principals: [new iam.AccountRootPrincipal()], actions: USE_ACTIONS, resources: ['*'],
        conditions: { StringEquals: scoped },
      }));
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'GrantsOnlyForServiceResources', principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], resources: ['*'],
        conditions: { StringEquals: scoped, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }));
    }
    if (purpose === KeyPurpose.LOGS) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchLogsInThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }));
    }
    if (purpose === KeyPurpose.AUDIT) {
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${Aws.ACCOUNT_ID}:trail/*` },
        },
      }));
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudTrailDescribesKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }));
    }
    return key;
  }
}

/**
 * A key whose grants mark the grantee with the purpose's principal tag (which the key policy requires)
 * as well as adding the IAM policy. Principals that cannot be tagged here (imported roles, other accounts)
 * are named in the key policy instead. Every grant path of `kms.Key` (`grant`, `grantDecrypt`, ... and the
 * bucket, log group and repository grants that call them) goes through `grants.actions`, so that is where
 * the marking happens.
 */
class PurposeKey extends kms.Key {
  constructor(scope: Construct, id: string, purpose: KeyPurpose, props: kms.KeyProps) {
    super(scope, id, props);
    const grants = this.grants;
    const addToPolicies = grants.actions.bind(grants);
    grants.actions = (grantee: iam.IGrantable, ...actions: string[]): iam.Grant => {
      const principal = grantee.grantPrincipal;
      if (principal instanceof Construct && Resource.isOwnedResource(principal)) {
        Tags.of(principal).add(keyUserTag(purpose), 'use');
        return addToPolicies(grantee, ...actions);
      }
      return iam.Grant.addToPrincipalAndResource({ grantee, actions, resourceArns: [this.keyArn], resource: this, resourceSelfArns: ['*'] });
    };
  }
}
