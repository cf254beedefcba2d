import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** CloudFormation resources one unit synthesizes (key, bucket + policy, role + policy, queue + policy, endpoint config). */
export const RESOURCES_PER_UNIT = 8;

/** Each stack's access-log bucket and its policy. */
const RESOURCES_PER_STACK = 2;

/** The benchmark app's shape: `stacks` stacks of `resourcesPerStack` resources each (rounded to whole units). */
export interface FleetShape {
  readonly stacks: number;
  readonly resourcesPerStack: number;
}

/** The shape the issue asks for: 4000 resources in 20 stacks. */
export const FLEET: FleetShape = { stacks: 20, resourcesPerStack: 200 };

/** Adds the fleet's stacks to `app`. The same definition serves every mode. */
export function buildFleet(app: App, shape: FleetShape = FLEET): void {
  const units = Math.max(1, Math.round((shape.resourcesPerStack - RESOURCES_PER_STACK) / RESOURCES_PER_UNIT));
  for (let s = 0; s < shape.stacks; s++) {
    const stack = new Stack(app, `Fleet${s}`, { env: { account: '111111111111', region: 'eu-west-1' } });
    // Log delivery through the bucket policy, as recommended (and as cdk.json sets for the reference app).
    stack.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    // Server access logs go to one SSE-S3 log bucket per stack, the only encryption S3 log delivery accepts.
    const logs = new s3.Bucket(stack, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    for (let u = 0; u < units; u++) addUnit(stack, `Unit${u}`, logs);
  }
}

/**
 * One model-serving unit: a rotated CMK protecting a bucket, a queue and an endpoint config (volume and captured data),
 * and a role granted on them. The fleet is meant to be what a compliant app looks like, so the bench measures
 * evaluation rather than the printing of thousands of violations.
 */
function addUnit(scope: Construct, id: string, logs: s3.IBucket): void {
  const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true });
  const bucket = new s3.Bucket(scope, `${id}Bucket`, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: `${id}/`,
  });
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  bucket.grantRead(role);
  const queue = new sqs.Queue(scope, `${id}Queue`, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(4),
  });
  queue.grantSendMessages(role);
  new sagemaker.CfnEndpointConfig(scope, `${id}EndpointConfig`, {
    kmsKeyId: key.keyArn,
    dataCaptureConfig: {
      enableCapture: true, initialSamplingPercentage: 100, destinationS3Uri: bucket.s3UrlForObject('capture'), kmsKeyId: key.keyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
    },
    productionVariants: [
      { variantName: 'AllTraffic', modelName: `model-${id.toLowerCase()}`, initialInstanceCount: 2, instanceType: 'ml.m5.large', initialVariantWeight: 1 },
    ],
  });
}

/** Counts the CloudFormation resources in a construct tree. */
export function countResources(app: App): number {
  return app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}
