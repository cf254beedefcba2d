import { CfnResource, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IDataEventRecorder } from '../security/encrypted-bucket';
import { IKeyRing } from '../security/key-ring';
import { DriftS3Object } from './drift-backend';
import { EndpointNetwork, ModelEndpoint, ModelEndpointProps } from './model-endpoint';

/** CloudFormation's limit of resources per stack. */
export const STACK_RESOURCE_LIMIT = 500;
/** CloudFormation's limit on the size of a template uploaded through S3 (1 MB). */
export const TEMPLATE_SIZE_LIMIT = 1_048_576;

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
  /**
   * Bytes of rendered resources a fleet stack may hold before the next model goes to a new stack (CloudFormation
   * refuses templates over 1 MB). Measured on each endpoint's rendered resources as it is added: an estimate, since
   * references to other stacks become longer imports at synth (a few percent).
   * @default 800000 - a margin for what is added after construction (outputs, exports, metadata)
   */
  readonly maxTemplateBytes?: number;
  /**
   * The stack to fill first (e.g. a serving stack that also holds the models' approval gates); the stacks after it are
   * new stacks `<id>2`, `<id>3`, ... beside it.
   * @default - a new stack `<id>1`
   */
  readonly firstStack?: Stack;
  /** Props of every fleet stack the fleet creates (env, tags). @default - env-agnostic stacks */
  readonly stackProps?: StackProps;
}

/**
 * Many model endpoints, each with its drift monitoring, spread over as many stacks as CloudFormation's limits (500
 * resources, 1 MB of template) require: a model goes to a new stack (`<id>1`, `<id>2`, ...) when adding it would pass
 * `maxResourcesPerStack` or `maxTemplateBytes`, judged by the size of the endpoint added before it. The stacks are
 * children of `scope` (an App or Stage). Models keep their stack as long as the models before them do not change.
 */
export class ServingFleet extends Construct {
  /** The stacks, in order. */
  public readonly stacks: Stack[] = [];
  /** The endpoints, in the order of `models`. */
  public readonly endpoints: ModelEndpoint[] = [];

  constructor(scope: Construct, id: string, props: ServingFleetProps) {
    super(scope, id);
    const max = props.maxResourcesPerStack ?? 450;
    const maxBytes = props.maxTemplateBytes ?? 800_000;
    const problems = new ProblemCollector(this.node.path, 'ServingFleet');
    problems.check(max < 1 || max > STACK_RESOURCE_LIMIT, 'maxResourcesPerStack', max, `1 to ${STACK_RESOURCE_LIMIT}`, 'leave the default (450)');
    problems.check(!(maxBytes >= 10_000 && maxBytes <= TEMPLATE_SIZE_LIMIT), 'maxTemplateBytes', maxBytes, `10000 to ${TEMPLATE_SIZE_LIMIT}`, 'leave the default (800000)');
    problems.check(props.models.length === 0, 'models', '[]', 'at least one model', 'pass the models to serve');
    const ids = props.models.map((m) => m.id);
    const duplicates = ids.filter((m, i) => ids.indexOf(m) !== i);
    problems.check(duplicates.length > 0, 'models', duplicates.join(', '), 'unique ids', 'give every model its own id');
    problems.throwIfAny();

    let stack: Stack | undefined = props.firstStack;
    if (stack) this.stacks.push(stack);
    let bytes = stack ? renderedBytes(stack, resourcesOf(stack)) : 0;
    let lastSize = 0;
    let lastBytes = 0;
    for (const model of props.models) {
      if (!stack || resourcesOf(stack).length + lastSize > max || bytes + lastBytes > maxBytes) {
        stack = new Stack(scope, `${id}${this.stacks.length + 1}`, props.stackProps);
        this.stacks.push(stack);
        bytes = 0;
      }
      const before = new Set(resourcesOf(stack));
      const endpoint = new ModelEndpoint(stack, model.id, { ...model.endpoint, keys: props.keys, network: props.network, auditTrail: props.auditTrail });
      endpoint.monitorDrift({ baseline: model.driftBaseline });
      this.endpoints.push(endpoint);
      const added = resourcesOf(stack).filter((r) => !before.has(r));
      lastSize = added.length;
      lastBytes = renderedBytes(stack, added);
      bytes += lastBytes;
      if (lastSize > max || lastBytes > maxBytes) {
        const single = new ProblemCollector(endpoint.node.path, 'ServingFleet');
        single.check(lastSize > max, 'maxResourcesPerStack', max, `at least the ${lastSize} resources of one endpoint`, `raise maxResourcesPerStack to ${Math.min(lastSize, STACK_RESOURCE_LIMIT)} or more`);
        single.check(lastBytes > maxBytes, 'maxTemplateBytes', maxBytes, `at least the ${lastBytes} bytes of one endpoint`, `raise maxTemplateBytes to ${Math.min(lastBytes, TEMPLATE_SIZE_LIMIT)} or more`);
        single.throwIfAny();
      }
    }
  }
}

function resourcesOf(stack: Stack): CfnResource[] {
  return stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && Stack.of(c) === stack);
}

/** Bytes of the resources as the template will hold them (rendered and resolved, without indentation). */
function renderedBytes(stack: Stack, resources: CfnResource[]): number {
  // `_toCloudFormation` is how a stack renders its resources; resolving it here is the only size known before synth.
  return resources.reduce((sum, r) => sum + JSON.stringify(stack.resolve((r as unknown as { _toCloudFormation(): object })._toCloudFormation())).length, 0);
}
