import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApprovalWorkflow } from '../../constructs/registry/approval-workflow';
import { ApprovedModel } from '../../constructs/registry/approved-model';
import { ModelCard, ModelCardRiskRating, ThresholdComparison } from '../../constructs/registry/model-card';
import { ModelRegistry, RiskTier } from '../../constructs/registry/model-registry';
import { CapacitySize } from '../../constructs/sagemaker/capacity-size';
import { DeploymentStrategy } from '../../constructs/sagemaker/deployment-strategy';
import { ModelEndpoint } from '../../constructs/sagemaker/model-endpoint';
import { ModelSource } from '../../constructs/sagemaker/model-source';
import { AuditTrail } from '../../constructs/security/audit-trail';
import { BucketContents, EncryptedBucket } from '../../constructs/security/encrypted-bucket';
import { ImageRepository } from '../../constructs/security/image-repository';
import { KeyPurpose, KeyRing } from '../../constructs/security/key-ring';
import { PrivateNetwork } from '../../constructs/security/private-network';
import { acknowledgmentLines, complianceOfStacks, findingLines } from '../compliance-harness';

/**
 * The two SageMaker scenarios of the library, end to end: the model served is resolved at deploy time from the
 * registry (approved versions only), released by canary with automatic rollback, watched for drift, and documented by
 * a model card. Each scenario is one stack holding its foundation (keys, network, trail, registries): a trail in
 * another stack than the buckets it records makes a dependency cycle today (see the closing note of this change).
 */
interface Foundation {
  readonly keys: KeyRing;
  readonly network: PrivateNetwork;
  readonly auditTrail: AuditTrail;
  readonly images: ImageRepository;
  readonly modelArtifacts: EncryptedBucket;
}

function servingStack(app: App, id: string, build: (stack: Stack, foundation: Foundation, approved: ApprovedModel, registry: ModelRegistry) => void): Stack {
  const stack = new Stack(app, id);
  const keys = new KeyRing(stack, 'Keys');
  const auditTrail = new AuditTrail(stack, 'AuditTrail', { keys });
  const foundation: Foundation = {
    keys, auditTrail,
    network: new PrivateNetwork(stack, 'Network', { keys }),
    images: new ImageRepository(stack, 'Images', { keys }),
    modelArtifacts: new EncryptedBucket(stack, 'ModelArtifacts', {
      keys, purpose: KeyPurpose.MODEL_ARTIFACTS, contents: BucketContents.MODEL_ARTIFACTS, auditTrail, accessLogBucket: auditTrail.accessLogBucket,
    }),
  };
  const registry = new ModelRegistry(stack, 'Registry', { owner: 'model-risk', riskTier: id.startsWith('Fraud') ? RiskTier.HIGH : RiskTier.MEDIUM, keys: foundation.keys });
  new ApprovalWorkflow(stack, 'Approval', { registry, approverAssumedBy: new iam.AccountRootPrincipal() });
  const approved = new ApprovedModel(stack, 'Approved', { registry, vpc: foundation.network.vpc, keys: foundation.keys });
  build(stack, foundation, approved, registry);
  return stack;
}

const app = new App();

// Beginner: a credit-risk binary classifier on two CPU instances, default 10% canary, drift job, model card.
let creditEndpoint!: ModelEndpoint;
const credit = servingStack(app, 'CreditRisk', (stack, foundation, approved, registry) => {
  const artifacts = foundation.modelArtifacts.bucket;
  creditEndpoint = new ModelEndpoint(stack, 'Endpoint', {
    model: ModelSource.fromApprovedModel(approved, { imageRepository: foundation.images.repository, artifactBucket: artifacts }),
    instanceType: 'ml.m5.xlarge', keys: foundation.keys, auditTrail: foundation.auditTrail,
    network: { vpc: foundation.network.vpc, subnets: foundation.network.isolatedSubnets },
  });
  creditEndpoint.monitorDrift({ baseline: { bucket: artifacts, key: 'credit-risk/baseline.json' } });
  new ModelCard(stack, 'Card', {
    modelName: 'credit-risk', description: 'Probability of default for retail loan applications', modelPackageGroup: registry,
    intendedUses: { purposeOfModel: 'Credit decisioning support', intendedUses: 'Rank applications for manual review', riskRating: ModelCardRiskRating.MEDIUM },
    trainingData: [{ location: 's3://training/credit-risk/2026-10/', version: '2026-10' }],
    evaluations: [{ name: 'holdout', datasets: ['s3://training/credit-risk/holdout/'], metrics: [{ name: 'auc', value: 0.81, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.75 } }] }],
    keys: foundation.keys,
  });
});

// Intermediate: fraud detection on ten GPU instances, so the 10% canary is exactly one instance; a business KPI
// alarm joins the error and latency alarms that roll the release back.
let fraudEndpoint!: ModelEndpoint;
const fraud = servingStack(app, 'FraudDetection', (stack, foundation, approved, registry) => {
  const artifacts = foundation.modelArtifacts.bucket;
  const kpi = new cloudwatch.Alarm(stack, 'ApprovalRate', {
    metric: new cloudwatch.Metric({ namespace: 'Fraud/Business', metricName: 'ApprovalRate', period: Duration.minutes(5) }),
    threshold: 0.4, evaluationPeriods: 3, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  });
  kpi.addAlarmAction(new cloudwatchActions.SnsAction(new sns.Topic(stack, 'BusinessAlerts', { masterKey: foundation.keys.key(KeyPurpose.LOGS), enforceSSL: true })));
  fraudEndpoint = new ModelEndpoint(stack, 'Endpoint', {
    model: ModelSource.fromApprovedModel(approved, { imageRepository: foundation.images.repository, artifactBucket: artifacts }),
    instanceType: 'ml.g5.2xlarge', instanceCount: 10, keys: foundation.keys, auditTrail: foundation.auditTrail,
    network: { vpc: foundation.network.vpc, subnets: foundation.network.isolatedSubnets },
    deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.percent(10), wait: Duration.minutes(15) }),
    rollbackAlarms: [kpi],
  });
  fraudEndpoint.monitorDrift({ baseline: { bucket: artifacts, key: 'fraud/baseline.json' } });
  new ModelCard(stack, 'Card', {
    modelName: 'fraud-detection', description: 'Card-not-present fraud score', modelPackageGroup: registry,
    intendedUses: {
      purposeOfModel: 'Fraud screening', intendedUses: 'Hold suspicious payments for review', riskRating: ModelCardRiskRating.HIGH,
      explanationsForRiskRating: 'Automated holds affect customers; errors have financial and conduct impact',
    },
    trainingData: [{ location: 's3://training/fraud/2026-11/', version: '2026-11' }],
    keys: foundation.keys,
  });
});

describe.each([['credit risk (beginner)', () => credit], ['fraud detection with a 10% canary (intermediate)', () => fraud]])('%s', (_name, stackOf) => {
  it('passes every pack, with no acknowledgment of ours', () => {
    const result = complianceOfStacks([stackOf()]);
    expect(findingLines(result)).toEqual([]);
    expect(acknowledgmentLines(result).filter((l) => !l.endsWith('(automatic)'))).toEqual([]);
  });
});

describe('the fraud release', () => {
  it('sends 10% of instances (one of ten) to the canary and rolls back on errors, latency or the business KPI', () => {
    const endpoint = Stack.of(fraudEndpoint).resolve(fraudEndpoint.endpoint.deploymentConfig) as any;
    expect(endpoint.blueGreenUpdatePolicy.trafficRoutingConfiguration).toMatchObject({ type: 'CANARY', canarySize: { type: 'CAPACITY_PERCENT', value: 10 } });
    expect(endpoint.autoRollbackConfiguration.alarms).toHaveLength(3);
  });
});
