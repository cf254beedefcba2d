import { Stage, StageProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { EksServingStack, EksServingStackProps } from './eks-serving-stack';
import { FoundationStack } from './foundation-stack';
import { SageMakerServingStack, SageMakerServingStackProps } from './sagemaker-serving-stack';
import { ServedModel } from './served-model';
import { includesEks, includesSageMaker, ServingRuntime } from './serving-runtime';

/** Properties of a regulated environment. */
export interface RegulatedEnvironmentProps extends StageProps {
  /** Which runtimes the environment holds. */
  readonly runtime: ServingRuntime;
  /** The model inventory: registries, approval workflows and model cards in the foundation. */
  readonly models: ServedModel[];
  /**
   * SageMaker serving: the endpoints and their sizes. Required when `runtime` includes SageMaker.
   * @default - no SageMaker serving
   */
  readonly sagemaker?: Omit<SageMakerServingStackProps, 'foundation'>;
  /**
   * EKS serving: the models' charts, GPU node sizes and cluster access. Required when `runtime` includes EKS.
   * @default - no EKS serving
   */
  readonly eks?: Omit<EksServingStackProps, 'foundation'>;
  /**
   * Who may assume the models' approver roles.
   * @default - principals of the account that IAM allows to assume them
   */
  readonly approverAssumedBy?: iam.IPrincipal;
}

/**
 * One environment (dev, staging, prod): the foundation and the chosen runtimes, always the same stacks so that
 * environments differ only in their props (account, region, sizes), never in shape. Stacks: `Foundation`,
 * `SageMakerServing` (with `SageMakerServingEndpoints<n>` when the endpoints need more stacks) and `EksServing`.
 */
export class RegulatedEnvironment extends Stage {
  public readonly foundation: FoundationStack;
  public readonly sagemaker?: SageMakerServingStack;
  public readonly eks?: EksServingStack;

  constructor(scope: Construct, id: string, props: RegulatedEnvironmentProps) {
    super(scope, id, props);
    const problems = new ProblemCollector(this.node.path, 'RegulatedEnvironment');
    problems.check(includesSageMaker(props.runtime) && !props.sagemaker, 'sagemaker', undefined, `SageMaker deployments, since runtime is '${props.runtime}'`,
      "pass sagemaker: { deployments: [...] }, or choose runtime 'eks'");
    problems.check(includesEks(props.runtime) && !props.eks, 'eks', undefined, `EKS deployments, since runtime is '${props.runtime}'`,
      "pass eks: { deployments: [...] }, or choose runtime 'sagemaker'");
    problems.check(props.models.length === 0, 'models', '[]', 'at least one model', 'list the model inventory the environment serves');
    problems.throwIfAny();

    this.foundation = new FoundationStack(this, 'Foundation', {
      models: props.models, servingClusterEndpoints: includesEks(props.runtime), approverAssumedBy: props.approverAssumedBy,
    });
    if (includesSageMaker(props.runtime)) {
      this.sagemaker = new SageMakerServingStack(this, 'SageMakerServing', { ...props.sagemaker!, foundation: this.foundation });
    }
    if (includesEks(props.runtime)) {
      this.eks = new EksServingStack(this, 'EksServing', { ...props.eks!, foundation: this.foundation });
    }
  }
}
