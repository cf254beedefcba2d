import { Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ApprovedModel } from '../../constructs/registry/approved-model';
import { DeploymentStrategy } from '../../constructs/sagemaker/deployment-strategy';
import { ModelEndpoint } from '../../constructs/sagemaker/model-endpoint';
import { ModelSource } from '../../constructs/sagemaker/model-source';
import { ServingFleet } from '../../constructs/sagemaker/serving-fleet';
import { ProblemCollector } from '../core/errors';
import { checkDeployments } from './deployment-checks';
import { FoundationStack } from './foundation-stack';

/** How one model of the foundation's inventory is served on a SageMaker endpoint. */
export interface SageMakerModelDeployment {
  /** The model's name, as registered in the foundation. */
  readonly model: string;
  /** The SageMaker instance type, e.g. `ml.m5.xlarge` or `ml.g5.2xlarge`. */
  readonly instanceType: string;
  /**
   * Instances of the endpoint.
   * @default 2
   */
  readonly instanceCount?: number;
  /**
   * How a new version is released.
   * @default DeploymentStrategy.canary() - 10% first, automatic rollback on the endpoint's alarms
   */
  readonly deployment?: DeploymentStrategy;
  /**
   * Alarms that also roll a release back (business KPIs), beside the endpoint's error and latency alarms.
   * @default - none
   */
  readonly rollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * Key of the training baseline in the foundation's model-artifacts bucket, which the drift job compares captured
   * data with.
   * @default `<model>/baseline.json`
   */
  readonly driftBaselineKey?: string;
}

/** Properties of the SageMaker serving stack. */
export interface SageMakerServingStackProps extends StackProps {
  /** The foundation: keys, network, trail, registries and images. */
  readonly foundation: FoundationStack;
  /** The models to serve, each an approved version of a registry of the foundation. */
  readonly deployments: SageMakerModelDeployment[];
  /**
   * Resources this stack, and each stack after it, may hold before the next endpoint goes to a new stack.
   * @default 450
   */
  readonly maxResourcesPerStack?: number;
}

/**
 * SageMaker serving for the foundation's models: per model, the deploy-time gate that resolves the newest approved
 * version of its registry, and an endpoint released by canary with automatic rollback, capturing its traffic and
 * watched for drift. When the endpoints would pass CloudFormation's limits (500 resources, 1 MB), the next ones go to
 * stacks beside this one (`<id>Endpoints2`, `<id>Endpoints3`, ...), listed in `stacks`.
 */
export class SageMakerServingStack extends Stack {
  /** This stack and the overflow stacks the endpoints needed, in order. */
  public readonly stacks: Stack[];
  /** The endpoints, by model name. */
  public readonly endpoints: { readonly [model: string]: ModelEndpoint };
  /** The approval gates, by model name. */
  public readonly approvedModels: { readonly [model: string]: ApprovedModel };

  constructor(scope: Construct, id: string, props: SageMakerServingStackProps) {
    super(scope, id, props);
    const problems = new ProblemCollector(this.node.path, 'SageMakerServingStack');
    checkDeployments(problems, props.deployments.map((d) => d.model), 'its deployment strategy');
    problems.throwIfAny();

    const { foundation } = props;
    const approvedModels: { [model: string]: ApprovedModel } = {};
    const fleetModels = props.deployments.map((d) => {
      const { registry } = foundation.registration(d.model);
      const approved = new ApprovedModel(this, `${d.model}-approved`, { registry, vpc: foundation.network.vpc, keys: foundation.keys });
      approvedModels[d.model] = approved;
      return {
        id: d.model,
        endpoint: {
          model: ModelSource.fromApprovedModel(approved, { imageRepository: foundation.images.repository, artifactBucket: foundation.modelArtifacts.bucket }),
          instanceType: d.instanceType,
          instanceCount: d.instanceCount,
          deployment: d.deployment,
          rollbackAlarms: d.rollbackAlarms,
        },
        driftBaseline: { bucket: foundation.modelArtifacts.bucket, key: d.driftBaselineKey ?? `${d.model}/baseline.json` },
      };
    });
    const fleet = new ServingFleet(scope, `${id}Endpoints`, {
      models: fleetModels,
      keys: foundation.keys,
      network: { vpc: foundation.network.vpc, subnets: foundation.network.isolatedSubnets },
      auditTrail: foundation.auditTrail,
      maxResourcesPerStack: props.maxResourcesPerStack,
      firstStack: this,
      stackProps: { env: props.env, tags: props.tags },
    });
    this.stacks = fleet.stacks;
    this.approvedModels = approvedModels;
    this.endpoints = Object.fromEntries(props.deployments.map((d, i) => [d.model, fleet.endpoints[i]]));
  }
}
