import { DocumentIndex, Unresolvable } from '../../../context';
import type { RenderedResource } from '../../../document';

/** The resource type CDK's `ec2.Vpc` `restrictDefaultSecurityGroup` renders. */
export const RESTRICT_DEFAULT_SG = 'Custom::VpcRestrictDefaultSG';

/** The resources that empty a VPC's default security group, by the VPC they target. */
export interface DefaultSecurityGroupRestrictions {
  /** VPC logical id → the restricting resources whose DefaultSecurityGroupId is that VPC's DefaultSecurityGroup attribute. */
  readonly byVpc: ReadonlyMap<string, readonly RenderedResource[]>;
  /** Restricting resources whose target cannot be resolved at synth (a parameter, an import): each may target any VPC. */
  readonly uncertain: readonly RenderedResource[];
}

/** VPC logical id → `Custom::VpcRestrictDefaultSG` resources, built once per document. */
export const DEFAULT_SG_RESTRICTIONS: DocumentIndex<DefaultSecurityGroupRestrictions> = {
  id: 'ec2/default-sg-restrictions',
  build(ctx) {
    const byVpc = new Map<string, RenderedResource[]>();
    const uncertain: RenderedResource[] = [];
    for (const restriction of ctx.resourcesOfType(RESTRICT_DEFAULT_SG)) {
      const group = restriction.properties.DefaultSecurityGroupId;
      const ref = ctx.reference(group);
      if (ref) {
        if (ref.attribute === 'DefaultSecurityGroup' && ctx.resource(ref.logicalId)?.type === 'AWS::EC2::VPC') {
          byVpc.set(ref.logicalId, [...(byVpc.get(ref.logicalId) ?? []), restriction]);
        }
        continue; // the attribute of something else is not a default security group of this template
      }
      try {
        ctx.string(group, 'Properties/DefaultSecurityGroupId'); // a literal sg-xxxx: a VPC outside this template
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        uncertain.push(restriction);
      }
    }
    return { byVpc, uncertain };
  },
};
