import { DocumentIndex, EvaluationContext, Unresolvable } from '../../../context';
import type { RenderedResource } from '../../../document';

const VPC = 'AWS::EC2::VPC';

/** A VPC flow log whose target cannot be pinned to one VPC of the template (a parameter, an import, a condition). */
export interface UncertainFlowLog {
  readonly flowLog: RenderedResource;
  /** Set when the flow log points at this VPC but its ResourceType is unknown; unset when it may cover any VPC. */
  readonly vpcLogicalId?: string;
  /** What could not be resolved, for the finding message. */
  readonly reason: string;
}

/** The VPC flow logs of a template, by the logical id of the VPC they cover. */
export interface FlowLogsByVpc {
  readonly byVpc: ReadonlyMap<string, readonly RenderedResource[]>;
  readonly uncertain: readonly UncertainFlowLog[];
}

/** Where a flow log's ResourceId points: a VPC of the template, nothing of the template, or unknown. */
type Target = { readonly vpc: string } | { readonly unknown: string } | 'elsewhere';

function targetOf(resourceId: unknown, ctx: EvaluationContext): Target {
  if (ctx.isAbsent(resourceId)) return 'elsewhere';
  const ref = ctx.reference(resourceId);
  if (ref) {
    const type = ctx.resource(ref.logicalId)?.type;
    // A VPC's Ref and its VpcId attribute are both the vpc-xxxx id.
    if (type === VPC && (ref.attribute === 'Ref' || ref.attribute === 'VpcId')) return { vpc: ref.logicalId };
    return { unknown: `ResourceId is ${ref.attribute === 'Ref' ? 'a Ref' : `the ${ref.attribute} attribute`} of ${ref.logicalId} (${type}), not of a VPC` };
  }
  try {
    ctx.string(resourceId, 'Properties/ResourceId');
    return 'elsewhere'; // a literal vpc-xxxx id: a VPC created outside this template
  } catch (e) {
    if (!(e instanceof Unresolvable)) throw e;
    return { unknown: `ResourceId is ${e.detail}` };
  }
}

/**
 * VPC logical id -> the AWS::EC2::FlowLog resources with ResourceType VPC whose ResourceId is a Ref (or VpcId
 * attribute) of that VPC. Flow logs of subnets, interfaces or transit gateways do not cover a whole VPC and are
 * left out; flow logs whose type or target is an intrinsic that cannot be resolved go to `uncertain`.
 */
export const FLOW_LOGS_BY_VPC: DocumentIndex<FlowLogsByVpc> = {
  id: 'ec2/flow-logs-by-vpc',
  build(ctx) {
    const byVpc = new Map<string, RenderedResource[]>();
    const uncertain: UncertainFlowLog[] = [];
    for (const flowLog of ctx.resourcesOfType('AWS::EC2::FlowLog')) {
      let typeProblem: string | undefined;
      try {
        if (ctx.string(flowLog.properties.ResourceType, 'Properties/ResourceType') !== 'VPC') continue;
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        typeProblem = `ResourceType is ${e.detail}`;
      }
      const target = targetOf(flowLog.properties.ResourceId, ctx);
      if (target === 'elsewhere') continue;
      if ('unknown' in target) {
        uncertain.push({ flowLog, reason: typeProblem ?? target.unknown });
      } else if (typeProblem) {
        uncertain.push({ flowLog, vpcLogicalId: target.vpc, reason: typeProblem });
      } else {
        const list = byVpc.get(target.vpc);
        if (list) list.push(flowLog);
        else byVpc.set(target.vpc, [flowLog]);
      }
    }
    return { byVpc, uncertain };
  },
};
