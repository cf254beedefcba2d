import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  AccessLogBucket, AuditTrail, BucketContents, EncryptedBucket, ImageRepository, KeyPurpose, KeyRing, PrivateNetwork,
} from '../../lib';

/**
 * What the credit-risk model stands on, owned by the platform team and kept when the serving stack is replaced: one
 * key per purpose, a private network, the audit trail, and the stores of model artifacts, images and captured
 * inference data. The capture bucket lives here, beside the trail that records it: named in the trail, it needs no
 * account-wide data events, and the serving stack depends on this one only.
 */
export class CreditRiskFoundationStack extends Stack {
  public readonly keys: KeyRing;
  public readonly network: PrivateNetwork;
  public readonly auditTrail: AuditTrail;
  public readonly modelArtifacts: EncryptedBucket;
  public readonly inferenceCapture: EncryptedBucket;
  public readonly images: ImageRepository;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.keys = new KeyRing(this, 'Keys');
    this.network = new PrivateNetwork(this, 'Network', { keys: this.keys });
    const accessLogs = new AccessLogBucket(this, 'AccessLogs');
    this.auditTrail = new AuditTrail(this, 'AuditTrail', { keys: this.keys, accessLogBucket: accessLogs.bucket });
    const shared = { keys: this.keys, accessLogBucket: accessLogs.bucket, auditTrail: this.auditTrail };
    this.modelArtifacts = new EncryptedBucket(this, 'ModelArtifacts', {
      ...shared, purpose: KeyPurpose.MODEL_ARTIFACTS, contents: BucketContents.MODEL_ARTIFACTS, accessLogPrefix: 'model-artifacts/',
    });
    this.inferenceCapture = new EncryptedBucket(this, 'InferenceCapture', {
      ...shared, purpose: KeyPurpose.DATA, contents: BucketContents.INFERENCE_CAPTURE, accessLogPrefix: 'inference-capture/',
    });
    this.images = new ImageRepository(this, 'Images', { keys: this.keys });
  }
}
