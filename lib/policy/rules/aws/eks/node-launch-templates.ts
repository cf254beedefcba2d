import { DocumentIndex, EvaluationContext, Unresolvable } from '../../../context';
import type { RenderedResource } from '../../../document';
import { fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';

export const NODEGROUP = 'AWS::EKS::Nodegroup';
export const LAUNCH_TEMPLATE = 'AWS::EC2::LaunchTemplate';

/** Where a managed node group's launch template is. */
export type NodegroupLaunchTemplate =
  | { readonly kind: 'none' }
  | { readonly kind: 'template'; readonly logicalId: string }
  | { readonly kind: 'elsewhere'; readonly detail: string };

/** The node groups of a template and the launch templates they use. */
export interface NodeLaunchTemplates {
  /** Launch template logical id -> the node groups that launch instances from it. */
  readonly usersOf: ReadonlyMap<string, readonly RenderedResource[]>;
  /** Node group logical id -> its launch template. */
  readonly ofNodegroup: ReadonlyMap<string, NodegroupLaunchTemplate>;
}

/**
 * Finds a node group's launch template: `LaunchTemplate.Id` as a Ref (or `LaunchTemplateId` attribute) of a launch
 * template of this template, or `LaunchTemplate.Name` equal to the literal `LaunchTemplateName` of one. Anything else
 * (a literal lt-... id, an import, a parameter) is a launch template this template does not show.
 */
function launchTemplateOf(nodegroup: RenderedResource, ctx: EvaluationContext, byName: ReadonlyMap<string, string>): NodegroupLaunchTemplate {
  const spec = nodegroup.properties.LaunchTemplate;
  if (ctx.isAbsent(spec)) return { kind: 'none' };
  try {
    const literal = ctx.literal(spec, 'Properties/LaunchTemplate') ?? {};
    const ref = ctx.reference(literal.Id);
    if (ref && ctx.resource(ref.logicalId)?.type === LAUNCH_TEMPLATE && (ref.attribute === 'Ref' || ref.attribute === 'LaunchTemplateId')) {
      return { kind: 'template', logicalId: ref.logicalId };
    }
    if (!ctx.isAbsent(literal.Id)) {
      return { kind: 'elsewhere', detail: `LaunchTemplate.Id ${JSON.stringify(ctx.string(literal.Id, 'Properties/LaunchTemplate/Id'))} is not a launch template of this template` };
    }
    const name = ctx.string(literal.Name, 'Properties/LaunchTemplate/Name');
    const logicalId = name === undefined ? undefined : byName.get(name);
    if (logicalId) return { kind: 'template', logicalId };
    return { kind: 'elsewhere', detail: `LaunchTemplate.Name ${JSON.stringify(name)} is not a launch template of this template` };
  } catch (e) {
    if (!(e instanceof Unresolvable)) throw e;
    return { kind: 'elsewhere', detail: `${e.path} is ${e.detail}` };
  }
}

/** Which node groups use which launch template, built once per template. */
export const NODE_LAUNCH_TEMPLATES: DocumentIndex<NodeLaunchTemplates> = {
  id: 'eks/node-launch-templates',
  build(ctx) {
    const byName = new Map<string, string>();
    for (const template of ctx.resourcesOfType(LAUNCH_TEMPLATE)) {
      const name = template.properties.LaunchTemplateName;
      if (typeof name === 'string') byName.set(name, template.logicalId);
    }
    const usersOf = new Map<string, RenderedResource[]>();
    const ofNodegroup = new Map<string, NodegroupLaunchTemplate>();
    for (const nodegroup of ctx.resourcesOfType(NODEGROUP)) {
      const found = launchTemplateOf(nodegroup, ctx, byName);
      ofNodegroup.set(nodegroup.logicalId, found);
      if (found.kind !== 'template') continue;
      const list = usersOf.get(found.logicalId);
      if (list) list.push(nodegroup);
      else usersOf.set(found.logicalId, [nodegroup]);
    }
    return { usersOf, ofNodegroup };
  },
};

/**
 * The node-group side of a launch-template rule: a node group passes when its launch template is in the template
 * (the rule then judges the launch template itself), fails without one (EKS's own launch template is invisible),
 * and cannot be evaluated when the launch template lives elsewhere.
 */
export function nodegroupHasVisibleLaunchTemplate(nodegroup: RenderedResource, ctx: EvaluationContext, withoutOne: string): RuleOutcome {
  const found = ctx.index(NODE_LAUNCH_TEMPLATES).ofNodegroup.get(nodegroup.logicalId)!;
  switch (found.kind) {
    case 'template':
      return pass();
    case 'none':
      return fail('Properties/LaunchTemplate', `the node group has no launch template: ${withoutOne}`);
    case 'elsewhere':
      return unresolvable('Properties/LaunchTemplate', `${found.detail}: its settings cannot be checked here`);
  }
}

/** The node groups that launch instances from a launch template (empty when none does). */
export function nodegroupsUsing(template: RenderedResource, ctx: EvaluationContext): readonly RenderedResource[] {
  return ctx.index(NODE_LAUNCH_TEMPLATES).usersOf.get(template.logicalId) ?? [];
}

/** The verdict on a launch template no node group uses: node rules do not judge other launch templates. */
export const NOT_A_NODE_TEMPLATE: RuleOutcome = notApplicable('no EKS managed node group of this template launches instances from this launch template');

/** A launch template with the given `LaunchTemplateData`. */
export const launchTemplate = (data: Record<string, any>) => ({ Type: LAUNCH_TEMPLATE, Properties: { LaunchTemplateData: data } });

/**
 * A managed node group for rule scenarios, launching from the launch template with logical id `template` (`Subject`
 * is the id a scenario gives the resource under test) unless `extra` says otherwise.
 */
export const nodegroup = (extra: Record<string, any> = {}, template = 'Subject') => ({
  Type: NODEGROUP,
  Properties: {
    ClusterName: 'serving',
    NodeRole: 'arn:aws:iam::111122223333:role/nodes',
    Subnets: ['subnet-1', 'subnet-2'],
    ScalingConfig: { MinSize: 1, MaxSize: 2, DesiredSize: 1 },
    AmiType: 'BOTTLEROCKET_x86_64_NVIDIA',
    LaunchTemplate: { Id: { Ref: template }, Version: { 'Fn::GetAtt': [template, 'LatestVersionNumber'] } },
    ...extra,
  },
});
