import { App, Aws, Duration, Environment } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ModelCardRiskRating, ThresholdComparison } from '../../constructs/registry/model-card';
import { RiskTier } from '../../constructs/registry/model-registry';
import { CapacitySize } from '../../constructs/sagemaker/capacity-size';
import { DeploymentStrategy } from '../../constructs/sagemaker/deployment-strategy';
import { RegulatedEnvironment } from './regulated-environment';
import { ServedModel } from './served-model';
import { ServingRuntime } from './serving-runtime';

/** The reference inventory: a credit-risk classifier (medium risk) and a fraud model (high risk). */
export const REFERENCE_MODELS: readonly ServedModel[] = [
  {
    name: 'credit-risk',
    description: 'Probability of default for retail loan applications',
    owner: 'credit-risk-analytics',
    riskTier: RiskTier.MEDIUM,
    intendedUses: { purposeOfModel: 'Credit decisioning support', intendedUses: 'Rank applications for manual review', riskRating: ModelCardRiskRating.MEDIUM },
    trainingData: [{ location: 's3://training-data/credit-risk/2026-10/', version: '2026-10' }],
    evaluations: [{
      name: 'holdout', datasets: ['s3://training-data/credit-risk/holdout/'],
      metrics: [{ name: 'auc', value: 0.81, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.75 } }],
    }],
  },
  {
    name: 'fraud-detection',
    description: 'Card-not-present fraud score',
    owner: 'payments-fraud',
    riskTier: RiskTier.HIGH,
    intendedUses: {
      purposeOfModel: 'Fraud screening', intendedUses: 'Hold suspicious payments for review', riskRating: ModelCardRiskRating.HIGH,
      explanationsForRiskRating: 'Automated holds affect customers; errors have financial and conduct impact',
    },
    trainingData: [{ location: 's3://training-data/fraud/2026-11/', version: '2026-11' }],
  },
];

/**
 * The fraud model's image on EKS, pinned by digest. A placeholder: replace it with the digest of your approved build
 * (the SageMaker runtime needs none: it resolves the approved version from the registry at deploy time).
 */
export const REFERENCE_FRAUD_IMAGE_DIGEST = `sha256:${'7d3f9a1c5e2b8046'.repeat(4)}`;

/** The environments of the reference app, in promotion order. */
export const REFERENCE_ENVIRONMENTS = ['Dev', 'Staging', 'Prod'] as const;
export type ReferenceEnvironmentName = typeof REFERENCE_ENVIRONMENTS[number];

/** What differs between the reference environments: sizes only. */
interface EnvironmentSizes {
  readonly creditInstanceType: string;
  readonly creditInstances: number;
  readonly fraudInstanceType: string;
  readonly fraudInstances: number;
  readonly gpuMinSize: number;
  readonly gpuMaxSize: number;
  readonly fraudReplicas: number;
}

const SIZES: Record<ReferenceEnvironmentName, EnvironmentSizes> = {
  Dev: { creditInstanceType: 'ml.m5.large', creditInstances: 2, fraudInstanceType: 'ml.g5.xlarge', fraudInstances: 2, gpuMinSize: 1, gpuMaxSize: 2, fraudReplicas: 2 },
  Staging: { creditInstanceType: 'ml.m5.xlarge', creditInstances: 2, fraudInstanceType: 'ml.g5.2xlarge', fraudInstances: 2, gpuMinSize: 1, gpuMaxSize: 4, fraudReplicas: 2 },
  // Ten fraud instances, so the 10% canary is exactly one instance.
  Prod: { creditInstanceType: 'ml.m5.xlarge', creditInstances: 4, fraudInstanceType: 'ml.g5.2xlarge', fraudInstances: 10, gpuMinSize: 2, gpuMaxSize: 8, fraudReplicas: 4 },
};

/** Options of the reference app. */
export interface ReferenceAppOptions {
  /** The runtimes every environment holds. @default ServingRuntime.BOTH */
  readonly runtime?: ServingRuntime;
  /** Account and region per environment. @default - env-agnostic stacks (synth needs no credentials) */
  readonly environments?: Partial<Record<ReferenceEnvironmentName, Environment>>;
}

/** Adds the reference environments (Dev, Staging, Prod) to `app`: the same stacks in each, sized per environment. */
export function addReferenceEnvironments(app: App, options: ReferenceAppOptions = {}): RegulatedEnvironment[] {
  const runtime = options.runtime ?? ServingRuntime.BOTH;
  return REFERENCE_ENVIRONMENTS.map((name) => {
    const size = SIZES[name];
    return new RegulatedEnvironment(app, name, {
      env: options.environments?.[name],
      runtime,
      models: [...REFERENCE_MODELS],
      sagemaker: {
        deployments: [
          { model: 'credit-risk', instanceType: size.creditInstanceType, instanceCount: size.creditInstances },
          {
            model: 'fraud-detection', instanceType: size.fraudInstanceType, instanceCount: size.fraudInstances,
            deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.percent(10), wait: Duration.minutes(15) }),
          },
        ],
      },
      eks: {
        deployments: [{
          model: 'fraud-detection', version: '2.1.0', imageDigest: REFERENCE_FRAUD_IMAGE_DIGEST, replicas: size.fraudReplicas,
          callers: [{ namespace: 'payments', serviceAccount: 'checkout' }],
        }],
        gpuInstanceTypes: [new ec2.InstanceType('g5.xlarge')],
        gpuMinSize: size.gpuMinSize,
        gpuMaxSize: size.gpuMaxSize,
        // These roles must exist in the account before deployment: EKS refuses access entries for missing principals.
        adminRoleArns: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/platform-admin`],
        auditorRoleArns: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/model-risk-auditor`],
      },
    });
  });
}
