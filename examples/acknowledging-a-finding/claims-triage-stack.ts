import { Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import {
  acknowledge, AuditTrail, CapacitySize, DeploymentStrategy, KeyRing, ModelEndpoint, ModelSource, PrivateNetwork,
} from '../../lib';

/** The image of claims-triage 1.0.0, pinned by digest. */
const IMAGE_DIGEST = `sha256:${'4f2a9c1e7b3d5a60'.repeat(4)}`;

/**
 * An insurer's claims-triage model (which claims go to a handler first) served on SageMaker, without drift monitoring
 * for now: rule MLOPS-SM-030 requires it on every production endpoint, and the team has an approved, expiring
 * exception while the drift baseline is built.
 */
export class ClaimsTriageStack extends Stack {
  public readonly endpoint: ModelEndpoint;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const keys = new KeyRing(this, 'Keys');
    const network = new PrivateNetwork(this, 'Network', { keys });
    const auditTrail = new AuditTrail(this, 'AuditTrail', { keys });
    this.endpoint = new ModelEndpoint(this, 'Endpoint', {
      model: ModelSource.fromImage({ repository: ecr.Repository.fromRepositoryName(this, 'Images', 'models/claims-triage'), digest: IMAGE_DIGEST }),
      instanceType: 'ml.m5.large',
      // Two instances: a canary is one of them, half the traffic, rolled back by the endpoint's 5XX and latency alarms.
      deployment: DeploymentStrategy.canary({ canarySize: CapacitySize.instances(1) }),
      keys, auditTrail,
      network: { vpc: network.vpc, subnets: network.isolatedSubnets },
    });

    // No endpoint.monitorDrift(...) yet. Every request and response is captured (the endpoint's default), which is
    // what the baseline will be built from; until then people look at the captured data every week.
    acknowledge(this.endpoint, 'MLOPS-SM-030', {
      reason: 'The training data predates the October 2026 home-cover product change and is no valid drift baseline; '
        + 'the baseline is built from the first 12 weeks of captured production requests. Until then model risk reviews '
        + 'the captured feature and score distributions every week',
      approvedBy: 'a.moreau (Head of Model Risk)',
      ticket: 'MRM-431',
      expires: '2027-02-28',
    });
  }
}
