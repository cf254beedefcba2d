import { CfnResource, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IDataEventRecorder } from '../security/encrypted-bucket';
import { IKeyRing } from '../security/key-ring';
import { DriftS3Object } from './drift-backend';
import { EndpointNetwork, ModelEndpoint, ModelEndpointProps } from './model-endpoint';

/** CloudFormation's limit of resources per stack. */
export const STACK_RESOURCE_LIMIT = 500;

/** One model of a fleet: its endpoint props (without what the fleet shares) and its drift baseline. */
export interface FleetModel {
  /** Construct id of the endpoint (part of the contract: changing it replaces the endpoint). */
  readonly id: string;
  /** The endpoint's own props; the fleet supplies `keys`, `network` and `auditTrail`. */
  readonly endpoint: Omit<ModelEndpointProps, 'keys' | 'network' | 'auditTrail'>;
  /** The training baseline its drift job compares captured data with. */
  readonly driftBaseline: DriftS3Object;
}

/** Properties of a `ServingFleet`. */
export interface ServingFleetProps {
  /** The models to serve, in order (the order decides which stack each lands in). */
  readonly models: FleetModel[];
  /** The shared keys. */
  readonly keys: IKeyRing;
  /** The shared network. */
  readonly network: EndpointNetwork;
  /** The trail that records the capture buckets; in another stack, give it `recordAllS3DataEvents`. */
  readonly auditTrail: IDataEventRecorder;
  /**
   * Resources a fleet stack may hold before the next model goes to a new stack (CloudFormation refuses more than 500).
   * @default 450 - a margin for resources added after construction (aspects, acknowledgments)
   */
  readonly maxResourcesPerStack?: number;
  /** Props of every fleet stack (env, tags). @default - env-agnostic stacks */
  readonly stackProps?: StackProps;
}

/**
 * Many model endpoints, each with its drift monitoring, spread over as many stacks as CloudFormation's 500-resource
 * limit requires: a model goes to a new stack (`<id>1`, `<id>2`, ...) when adding it would pass
 * `maxResourcesPerStack`, judged by the size of the endpoint added before it. The stacks are children of `scope`
 * (an App or Stage). Models keep their stack as long as the models before them do not change.
 */
export class ServingFleet extends Construct {
  /** The stacks, in order. */
  public readonly stacks: Stack[] = [];
  /** The endpoints, in the order of `models`. */
  public readonly endpoints: ModelEndpoint[] = [];

  constructor(scope: Construct, id: string, props: ServingFleetProps) {
    super(scope, id);
    const max = props.maxResourcesPerStack ?? 450;
    const problems = new ProblemCollector(this.node.path, 'ServingFleet');
    problems.check(max < 1 || max > STACK_RESOURCE_LIMIT, 'maxResourcesPerStack', max, `1 to ${STACK_RESOURCE_LIMIT}`, 'leave the default (450)');
    problems.check(props.models.length === 0, 'models', '[]', 'at least one model', 'pass the models to serve');
    const ids = props.models.map((m) => m.id);
    const duplicates = ids.filter((m, i) => ids.indexOf(m) !== i);
    problems.check(duplicates.length > 0, 'models', duplicates.join(', '), 'unique ids', 'give every model its own id');
    problems.throwIfAny();

    let stack: Stack | undefined;
    let lastSize = 0;
    for (const model of props.models) {
      if (!stack || resourcesIn(stack) + lastSize > max) {
        stack = new Stack(scope, `${id}${this.stacks.length + 1}`, props.stackProps);
        this.stacks.push(stack);
      }
      const before = resourcesIn(stack);
      const endpoint = new ModelEndpoint(stack, model.id, { ...model.endpoint, keys: props.keys, network: props.network, auditTrail: props.auditTrail });
      endpoint.monitorDrift({ baseline: model.driftBaseline });
      this.endpoints.push(endpoint);
      lastSize = resourcesIn(stack) - before;
      if (lastSize > max) {
        const single = new ProblemCollector(endpoint.node.path, 'ServingFleet');
        single.add('maxResourcesPerStack', max, `at least the ${lastSize} resources of one endpoint`, `raise maxResourcesPerStack to ${Math.min(lastSize, STACK_RESOURCE_LIMIT)} or more`);
        single.throwIfAny();
      }
    }
  }
}

function resourcesIn(stack: Stack): number {
  return stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length;
}
