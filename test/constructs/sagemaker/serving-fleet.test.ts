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

function foundationOf(app: App) {
  const foundation = new Stack(app, 'Foundation');
  const keys = new KeyRing(foundation, 'Keys');
  return {
    foundation, keys,
    network: new PrivateNetwork(foundation, 'Network', { keys }),
    trail: new AuditTrail(foundation, 'AuditTrail', { keys, recordAllS3DataEvents: true }),
    images: new ImageRepository(foundation, 'Images', { keys }),
    models: new EncryptedBucket(foundation, 'Models', { keys, purpose: KeyPurpose.MODEL_ARTIFACTS }),
  };
}

const app = new App();
const { foundation, keys, network, trail, images, models } = foundationOf(app);

function fleetModels(count: number, { images: repository, models: artifacts } = { images, models }) {
  return Array.from({ length: count }, (_, i) => ({
    id: `Model${i}`,
    endpoint: {
      model: ModelSource.fromImage({ repository: repository.repository, digest: DIGEST, modelData: { bucket: artifacts.bucket, key: `m${i}/model.tar.gz` } }),
      instanceType: 'ml.m5.xlarge',
    },
    driftBaseline: { bucket: artifacts.bucket, key: `m${i}/baseline.json` },
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
    const bytes = errorOf(() => new ServingFleet(new App(), 'Bytes', { models: fleetModels(1), keys, auditTrail: trail, network: { vpc: network.vpc }, maxTemplateBytes: 2_000_000 }));
    expect(bytes.message).toContain("Bytes:maxTemplateBytes: received 2000000");
    const dup = errorOf(() => new ServingFleet(new App(), 'Dup', { models: [...fleetModels(1), ...fleetModels(1)], keys, auditTrail: trail, network: { vpc: network.vpc } }));
    expect(dup.message).toContain("Dup:models: received 'Model0'");
  });
});

describe('ServingFleet by template size', () => {
  // A byte budget below what 450 resources take shows the size limit deciding on its own.
  const sizeApp = new App();
  const shared = foundationOf(sizeApp);
  const first = new Stack(sizeApp, 'Serving');
  const sized = new ServingFleet(sizeApp, 'Sized', {
    models: fleetModels(6, shared), keys: shared.keys, auditTrail: shared.trail, network: { vpc: shared.network.vpc, subnets: shared.network.isolatedSubnets },
    maxTemplateBytes: 60_000, firstStack: first,
  });
  const templateBytes = (stack: Stack) => JSON.stringify(Template.fromStack(stack).toJSON().Resources).length;

  test('fills the given first stack, then opens stacks beside it when the next endpoint would pass the byte budget', () => {
    expect(sized.stacks[0]).toBe(first);
    expect(sized.stacks.map((s) => s.node.id)).toEqual(['Serving', ...sized.stacks.slice(1).map((_, i) => `Sized${i + 2}`)]);
    expect(sized.stacks.length).toBeGreaterThan(1);
    for (const stack of sized.stacks) {
      expect(resources(stack)).toBeLessThan(450);
      // Measured at construction: references to other stacks grow into longer imports at synth (a few percent).
      expect(templateBytes(stack)).toBeLessThanOrEqual(60_000 * 1.05);
    }
    expect(sized.endpoints).toHaveLength(6);
  });

  test('refuses an endpoint larger than the byte budget on its own, naming the budget it needs', () => {
    const error = errorOf(() => new ServingFleet(new App(), 'Tiny', { models: fleetModels(1), keys, auditTrail: trail, network: { vpc: network.vpc }, maxTemplateBytes: 10_000 }));
    expect(error.message).toMatch(/Tiny1\/Model0:maxTemplateBytes: received 10000; .*raise maxTemplateBytes to \d+ or more/s);
  });
});
