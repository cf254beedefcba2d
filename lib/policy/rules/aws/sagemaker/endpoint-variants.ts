import type { EvaluationContext } from '../../../context';
import type { RenderedResource } from '../../../document';

/** One production or shadow variant of an endpoint config, as far as its hosting goes. */
export interface EndpointVariant {
  /** Slash path from the resource root: `Properties/ProductionVariants/0`. */
  readonly path: string;
  /** The ml.* instance type; undefined for a serverless variant or one that declares neither. */
  readonly instanceType?: string;
  /** True when the variant is serverless (ServerlessConfig without InstanceType). */
  readonly serverless: boolean;
}

/**
 * The production and shadow variants of an `AWS::SageMaker::EndpointConfig`. Shadow variants run on the
 * same config, so they share its KmsKeyId and data capture. Throws Unresolvable on intrinsics.
 */
export function endpointVariants(config: RenderedResource, ctx: EvaluationContext): EndpointVariant[] {
  const variants: EndpointVariant[] = [];
  for (const property of ['ProductionVariants', 'ShadowProductionVariants']) {
    const list = ctx.array(config.properties[property], `Properties/${property}`) ?? [];
    list.forEach((item, i) => {
      const path = `Properties/${property}/${i}`;
      const variant = ctx.literal(item, path) ?? {};
      const instanceType = ctx.string(variant.InstanceType, `${path}/InstanceType`);
      const serverless = instanceType === undefined && ctx.isPresent(variant.ServerlessConfig, `${path}/ServerlessConfig`);
      variants.push({ path, instanceType, serverless });
    });
  }
  return variants;
}
