import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServingFleet } from '../../../constructs/sagemaker/serving-fleet';
import { ModelSource } from '../../../constructs/sagemaker/model-source';
import { AuditTrail } from '../../../constructs/security/audit-trail';
import { EncryptedBucket } from '../../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../../constructs/security/key-ring';
import { PrivateNetwork } from '../../../constructs/security/private-network';
import { complianceOfStacks, findingLines } from '../../compliance-harness';
import { errorOf } from '../security/construct-test-helpers';
import { DIGEST } from './model-endpoint-fixtures';

const app = new App();
const foundation = new Stack(app, 'Foundation');
const keys = new KeyRing(foundation, 'Keys');
const network = new PrivateNetwork(foundation, 'Network', { keys });
const trail = new AuditTrail(foundation, 'AuditTrail', { keys, recordAllS3DataEvents: true });
const images = new ImageRepository(foundation, 'Images', { keys });
const models = new EncryptedBucket(foundation, 'Models', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS });

function fleetModels(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `Model${i}`,
    endpoint: {
      model: ModelSource.fromImage({ repository: images.repository, digest: DIGEST, modelData: { bucket: models.bucket, key: `m${i}/model.tar.gz` } }),
      instanceType: 'ml.m5.xlarge',
    },
    driftBaseline: { bucket: models.bucket, key: `m${i}/baseline.json` },
  }));
}

const fleet = new ServingFleet(app, 'Fleet', {
  models: fleetModels(24), keys, auditTrail: trail, network: { vpc: network.vpc, subnets: network.isolatedSubnets },
});
const resources = (stack: Stack) => stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;

describe('ServingFleet', () => {
  test('spreads the endpoints over stacks that stay under CloudFormation\'s 500 resources', () => {
    expect(fleet.endpoints).toHaveLength(24);
    expect(fleet.stacks.length).toBeGreaterThan(1);
    expect(fleet.stacks.map((s) => s.node.id)).toEqual(fleet.stacks.map((_, i) => `Fleet${i + 1}`));
    for (const stack of fleet.stacks) expect(resources(stack)).toBeLessThanOrEqual(450);
  });

  test('keeps each fleet template well under CloudFormation\'s 1 MB template limit', () => {
    for (const stack of fleet.stacks) expect(JSON.stringify(Template.fromStack(stack).toJSON()).length).toBeLessThan(1_000_000);
  });

  test('every endpoint has its drift monitoring, and the whole fleet passes every pack with the foundation', () => {
    const result = complianceOfStacks([foundation, ...fleet.stacks]);
    expect(findingLines(result)).toEqual([]);
    expect(result.resources.filter((r) => r.type === 'AWS::SageMaker::Endpoint')).toHaveLength(24);
  });

  test('fails with no model, duplicate ids or a limit outside 1-500, listing every problem', () => {
    const error = errorOf(() => new ServingFleet(new App(), 'Bad', {
      models: [], keys, auditTrail: trail, network: { vpc: network.vpc }, maxResourcesPerStack: 600,
    }));
    expect(error.problems.map((p) => p.path)).toEqual(['Bad:maxResourcesPerStack', 'Bad:models']);
    const dup = errorOf(() => new ServingFleet(new App(), 'Dup', { models: [...fleetModels(1), ...fleetModels(1)], keys, auditTrail: trail, network: { vpc: network.vpc } }));
    expect(dup.message).toContain("Dup:models: received 'Model0'");
  });
});
