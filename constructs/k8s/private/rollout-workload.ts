import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** Renders like the generated L1 classes: JSON patches first, then the pod template through the k8s mapper. */
class RolloutObject extends ApiObject {
  public toJson(): any {
    const json = super.toJson();
    return { ...json, spec: { ...json.spec, template: kplus.k8s.toJson_PodTemplateSpec(json.spec.template) } };
  }
}

/** Properties of a `RolloutWorkload`. */
export interface RolloutWorkloadProps extends kplus.WorkloadProps {
  readonly replicas: number;
}

/**
 * An Argo Rollouts `Rollout` that owns its pod template, built with the cdk8s-plus pod API (containers,
 * security contexts, scheduling, volumes) so it renders exactly the pod a Deployment would. The canary strategy
 * is set later by the construct that releases it.
 */
export class RolloutWorkload extends kplus.Workload {
  public readonly resourceType = 'rollouts';
  public readonly replicas: number;
  protected readonly apiObject: ApiObject;
  private strategy?: () => Record<string, any>;

  constructor(scope: Construct, id: string, props: RolloutWorkloadProps) {
    super(scope, id, props);
    this.replicas = props.replicas;
    const objectProps: ApiObjectProps = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: props.metadata,
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    };
    this.apiObject = new RolloutObject(this, 'Resource', objectProps);
  }

  /** Whether a release strategy has been set. */
  public get hasStrategy(): boolean {
    return this.strategy !== undefined;
  }

  /** Sets the release strategy (`spec.strategy`), rendered at synthesis. */
  public useStrategy(strategy: () => Record<string, any>): void {
    this.strategy = strategy;
  }

  private renderSpec(): Record<string, any> {
    return {
      replicas: this.replicas,
      selector: this._toLabelSelector(),
      template: { metadata: this.podMetadata.toJson(), spec: this._toPodSpec() },
      strategy: this.strategy?.(),
    };
  }
}
