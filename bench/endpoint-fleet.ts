import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { ModelSource } from '../constructs/sagemaker/model-source';
import { ServingFleet } from '../constructs/sagemaker/serving-fleet';
import { AuditTrail } from '../constructs/security/audit-trail';
import { EncryptedBucket } from '../constructs/security/encrypted-bucket';
import { ImageRepository } from '../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../constructs/security/key-ring';
import { PrivateNetwork } from '../constructs/security/private-network';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/** A foundation stack and `count` endpoints (model, config, endpoint, alarms, drift job each) spread by ServingFleet. */
export function buildEndpointFleet(app: App, count: number): { stacks: number; resources: number } {
  const foundation = new Stack(app, 'Foundation');
  const keys = new KeyRing(foundation, 'Keys');
  const network = new PrivateNetwork(foundation, 'Network', { keys });
  const auditTrail = new AuditTrail(foundation, 'AuditTrail', { keys, recordAllS3DataEvents: true });
  const images = new ImageRepository(foundation, 'Images', { keys });
  const models = new EncryptedBucket(foundation, 'Models', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS });
  const fleet = new ServingFleet(app, 'Fleet', {
    keys, auditTrail, network: { vpc: network.vpc, subnets: network.isolatedSubnets },
    models: Array.from({ length: count }, (_, i) => ({
      id: `Model${i}`,
      endpoint: {
        model: ModelSource.fromImage({ repository: images.repository, digest: DIGEST, modelData: { bucket: models.bucket, key: `m${i}/model.tar.gz` } }),
        instanceType: 'ml.m5.xlarge',
      },
      driftBaseline: { bucket: models.bucket, key: `m${i}/baseline.json` },
    })),
  });
  return { stacks: fleet.stacks.length + 1, resources: app.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length };
}
