import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  ApprovalWorkflow, ApprovedModel, CapacitySize, DeploymentStrategy, DriftBackend, DriftMonitor, ModelCard,
  ModelCardRiskRating, ModelCardStatus, ModelEndpoint, ModelRegistry, ModelSource, RiskTier, ThresholdComparison,
} from '../../lib';
import type { CreditRiskFoundationStack } from './credit-risk-foundation-stack';

/** Properties of the credit-risk serving stack. */
export interface CreditRiskServingStackProps extends StackProps {
  /** The keys, network, trail and stores the model is served with. */
  readonly foundation: CreditRiskFoundationStack;
  /**
   * Changes when a new version may have been approved (the pipeline passes the approval event's version), so that
   * CloudFormation asks the registry again.
   * @default - the approved version is resolved when the stack is created, and when the registry changes
   */
  readonly approvalToken?: string;
}

/**
 * A binary credit-risk classifier (probability of default of a retail loan application) served on SageMaker: only a
 * version the model validation team approved in the registry is deployed; a new version takes one instance in ten
 * first and is rolled back without a person if the new fleet errs or slows down; its inputs are watched for drift;
 * its model card records what it is for and how it was validated.
 */
export class CreditRiskServingStack extends Stack {
  public readonly registry: ModelRegistry;
  public readonly approvedModel: ApprovedModel;
  public readonly endpoint: ModelEndpoint;
  public readonly drift: DriftMonitor;
  public readonly card: ModelCard;

  constructor(scope: Construct, id: string, props: CreditRiskServingStackProps) {
    super(scope, id, props);
    const { keys, network, auditTrail, modelArtifacts, inferenceCapture, images } = props.foundation;

    // The registry, and who may do what in it: the training pipeline registers versions as PendingManualApproval,
    // the validators approve or reject them, neither can do the other's step.
    this.registry = new ModelRegistry(this, 'Registry', {
      modelId: 'credit-risk-pd', owner: 'retail-credit-risk', riskTier: RiskTier.HIGH, keys,
      description: 'Probability of default of retail loan applications',
    });
    new ApprovalWorkflow(this, 'Approval', { registry: this.registry, approverAssumedBy: new iam.AccountPrincipal(this.account) });

    // The approved-model gate: the newest Approved version, looked up by a custom resource at deploy time. A group
    // with no approved version fails the deployment; nothing is looked up at synth.
    this.approvedModel = new ApprovedModel(this, 'Approved', {
      registry: this.registry, approvalToken: props.approvalToken, vpc: network.vpc, keys,
    });

    // Ten instances, so the 10% canary is exactly one of them: SageMaker rounds a canary up to whole instances, and
    // on two instances "10%" would be half the traffic (the construct warns). The new fleet's 5XX and p99 latency
    // alarms roll the deployment back.
    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      model: ModelSource.fromApprovedModel(this.approvedModel, { imageRepository: images.repository, artifactBucket: modelArtifacts.bucket }),
      instanceType: 'ml.m5.xlarge',
      instanceCount: 10,
      deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.percent(10), wait: Duration.minutes(15) }),
      latencyThreshold: Duration.millis(200),
      dataCapture: { bucket: inferenceCapture.bucket, prefix: 'credit-risk', csvContentTypes: ['text/csv'] },
      keys, auditTrail,
      network: { vpc: network.vpc, subnets: network.isolatedSubnets },
    });

    // Drift of the applicants against the training population: every 6 hours over the last day of captured requests.
    this.drift = this.endpoint.monitorDrift({
      baseline: { bucket: modelArtifacts.bucket, key: 'credit-risk/baseline.json' },
      backend: DriftBackend.libraryJob({ schedule: Duration.hours(6), window: Duration.hours(24), psiThreshold: 0.2 }),
    });

    this.card = new ModelCard(this, 'Card', {
      modelName: 'credit-risk-pd',
      description: 'Probability of default within 12 months of a retail loan application (gradient-boosted trees)',
      intendedUses: {
        purposeOfModel: 'Credit decisioning support for retail loans up to EUR 50,000',
        intendedUses: 'Ranks applications for automatic approval, manual underwriting or decline recommendation; a person decides every decline',
        factorsAffectingModelEfficiency: 'Applicants without credit history; economic conditions unlike 2019-2026',
        riskRating: ModelCardRiskRating.HIGH,
        explanationsForRiskRating: 'Affects access to credit (SR 11-7 tier 1; EU AI Act Annex III 5(b) creditworthiness)',
      },
      trainingData: [{ location: 's3://credit-training/applications/2019-2026/', version: '2026-10', description: 'Booked loans with 12-month outcome' }],
      evaluations: [{
        name: 'out-of-time-2026-q2',
        datasets: ['s3://credit-training/holdout/2026-q2/'],
        metrics: [
          { name: 'auc', value: 0.81, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.75 } },
          { name: 'ks', value: 0.46, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.35 } },
        ],
      }],
      fairness: {
        datasets: ['s3://credit-training/holdout/2026-q2/'],
        metrics: [{ name: 'adverse-impact-ratio-age', value: 0.91, threshold: { comparison: ThresholdComparison.GREATER_THAN_OR_EQUAL, value: 0.8 } }],
        observations: 'Four-fifths rule met for every age band',
      },
      status: ModelCardStatus.APPROVED,
      approver: 'model-risk-committee (MRC-2026-11)',
      owner: 'retail-credit-risk',
      modelPackageGroup: this.registry,
      keys,
    });
  }
}
