import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { EncryptedBucket } from '../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../constructs/security/key-ring';
import { PrivateNetwork } from '../../constructs/security/private-network';
import { acknowledge } from '../../lib/policy/acknowledgments';
import { Compliance } from '../../lib/policy/compliance';
import { tempDir } from '../cli/run-cli';
import { FIXTURE_DATE } from '../policy/rule-harness';

/** The synth date of both versions, and the `--date` the tests compare them on. */
export const REVIEW_DATE = FIXTURE_DATE; // 2026-11-26
/** Ten days after REVIEW_DATE: inside diff's default 30-day window. */
export const EXPIRES_SOON = '2026-12-06';
export const EXPIRES_LATER = '2027-06-30';
export const PULL_ACCOUNT = '444455556666';
export const APPROVER = 'jane.doe (CISO office)';

/** Both versions synthesized into a fresh temporary directory (removed after the test file): `<root>/old`, `<root>/new`. */
export function synthesizeReviewApps(prefix: string): { readonly root: string; readonly old: string; readonly new: string } {
  const root = tempDir(prefix);
  const dirs = { root, old: path.join(root, 'old'), new: path.join(root, 'new') };
  synthesizeReviewApp(dirs.old, 'old');
  synthesizeReviewApp(dirs.new, 'new');
  return dirs;
}

/**
 * Two versions of a small platform app, synthesized with every pack enforced (so acknowledgments and reports are
 * written as in real use). The new version deliberately:
 * - widens the training role with `s3:*` on `*` (acknowledged, MLOPS-IAM-002, until EXPIRES_SOON) and lets another
 *   account pull from the image repository of the nested `Prod/Registry` stack (a resource policy);
 * - stops the job queue from enforcing TLS (acknowledged, MLOPS-SQS-002: encryption in transit), which also removes
 *   the queue policy with its Deny statement;
 * - opens the interface endpoints' security group to 0.0.0.0/0 on 443;
 * - changes the description of the serving security group, which replaces it;
 * - removes the `Sandbox` stack (a bucket with its key and log bucket: stateful) and adds `Prod/Monitoring`;
 * - ships different code in the notifier function and its layer: an asset-hash-only change.
 */
export function synthesizeReviewApp(outdir: string, version: 'old' | 'new'): void {
  const next = version === 'new';
  const app = new App({ outdir });
  Compliance.enforce(app, { now: new Date(REVIEW_DATE) });

  const platform = new Stack(app, 'Platform');
  const keys = new KeyRing(platform, 'Keys');
  const data = new EncryptedBucket(platform, 'TrainingData', { keys });
  const network = new PrivateNetwork(platform, 'Network', { keys, interfaceEndpoints: [] });
  network.securityGroupFor('Serving', next ? 'Model serving containers, v2' : 'Model serving containers');
  const role = new iam.Role(platform, 'TrainingRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  data.grantRead(role);
  const queue = new sqs.Queue(platform, 'Jobs', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: keys.key(KeyPurpose.DATA),
    enforceSSL: !next,
  });
  // A layer version is replaced whenever its content changes: its asset hash is all that tells the versions apart.
  const code = lambda.Code.fromAsset(handlerDirectory(outdir, next ? 'return 2;' : 'return 1;'));
  new lambda.Function(platform, 'Notifier', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code,
    layers: [new lambda.LayerVersion(platform, 'NotifierLayer', { code })],
  });

  const prod = new Stage(app, 'Prod');
  const registry = new Stack(prod, 'Registry');
  new ImageRepository(registry, 'Images', next ? { pullAccounts: [PULL_ACCOUNT] } : {});

  if (next) {
    new ssm.StringParameter(new Stack(prod, 'Monitoring'), 'ModelVersion', { stringValue: 'v2' });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    acknowledge(role, 'MLOPS-IAM-002', {
      reason: 'The migration job copies every bucket of the account until the cut-over', approvedBy: APPROVER, ticket: 'RISK-7', expires: EXPIRES_SOON,
    });
    acknowledge(queue, 'MLOPS-SQS-002', {
      reason: 'The legacy scheduler only speaks plain HTTP inside the VPC until its replacement ships', approvedBy: APPROVER, ticket: 'RISK-8', expires: EXPIRES_LATER,
    });
    network.endpointSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from anywhere');
  } else {
    new EncryptedBucket(new Stack(app, 'Sandbox'), 'Scratch');
  }
  app.synth();
}

/** A handler directory beside the assembly (not inside it: the asset is staged into the assembly). */
function handlerDirectory(outdir: string, body: string): string {
  const dir = `${outdir}-handler`;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), `exports.handler = async () => { ${body} };\n`);
  return dir;
}
