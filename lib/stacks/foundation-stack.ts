import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../../constructs/security/access-log-bucket';
import { AuditTrail } from '../../constructs/security/audit-trail';
import { BucketContents, EncryptedBucket } from '../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../constructs/security/key-ring';
import { PrivateNetwork } from '../../constructs/security/private-network';

/** Properties of the foundation stack. */
export interface FoundationStackProps extends StackProps {
  /**
   * Accounts allowed to pull model images (e.g. the production account pulling from a tooling account).
   * @default - none
   */
  readonly imagePullAccounts?: string[];
}

/**
 * The shared foundation every serving runtime stands on: one key per purpose, a private network, the audit trail,
 * and the registries of data, model artifacts and images, each bucket recorded by the trail's S3 data events.
 */
export class FoundationStack extends Stack {
  public readonly keys: KeyRing;
  public readonly network: PrivateNetwork;
  public readonly auditTrail: AuditTrail;
  public readonly accessLogs: AccessLogBucket;
  public readonly trainingData: EncryptedBucket;
  public readonly modelArtifacts: EncryptedBucket;
  public readonly images: ImageRepository;

  constructor(scope: Construct, id: string, props: FoundationStackProps = {}) {
    super(scope, id, props);
    this.keys = new KeyRing(this, 'Keys');
    this.network = new PrivateNetwork(this, 'Network', { keys: this.keys });
    this.accessLogs = new AccessLogBucket(this, 'AccessLogs');
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { keys: this.keys, accessLogBucket: this.accessLogs.bucket });
    const shared = { keys: this.keys, accessLogBucket: this.accessLogs.bucket, auditTrail: this.auditTrail };
    this.trainingData = new EncryptedBucket(this, 'TrainingData', { ...shared, contents: BucketContents.TRAINING_DATA, accessLogPrefix: 'training-data/' });
    this.modelArtifacts = new EncryptedBucket(this, 'ModelArtifacts', {
      ...shared, purpose: KeyPurpose.MODEL_ARTIFACTS, contents: BucketContents.MODEL_ARTIFACTS, accessLogPrefix: 'model-artifacts/',
    });
    this.images = new ImageRepository(this, 'Images', { keys: this.keys, pullAccounts: props.imagePullAccounts });
  }
}
