import { DocumentIndex, EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedDocument, RenderedResource } from '../../../document';

/** Where a "bucket name" property (a bucket policy's `Bucket`, a log `DestinationBucketName`) points. */
export type BucketTarget =
  | { readonly kind: 'bucket'; readonly logicalId: string }
  /**
   * A bucket managed elsewhere: a literal name no bucket of this template carries (`name`), or a
   * `Fn::ImportValue` (a stack cannot import its own exports).
   */
  | { readonly kind: 'external'; readonly name?: string }
  /** An intrinsic that cannot be matched to a bucket of the template: it may be any of them. */
  | { readonly kind: 'unknown' };

/**
 * Bucket logical id by explicit `BucketName`: literal names (and `Fn::Join`/`Fn::Sub` of literals) by value,
 * intrinsic names (`Fn::Sub` with `${AWS::AccountId}`) by their exact JSON, so a neighbour that writes the
 * same expression is known to name the same bucket without resolving it.
 */
export const BUCKETS_BY_NAME: DocumentIndex<Map<string, string>> = {
  id: 's3/buckets-by-name',
  build(ctx) {
    const map = new Map<string, string>();
    for (const bucket of ctx.resourcesOfType('AWS::S3::Bucket')) {
      const name = bucket.properties.BucketName;
      if (!ctx.isAbsent(name)) map.set(nameKey(name, ctx).key, bucket.logicalId);
    }
    return map;
  },
};

/** Resolves a bucket-name value to a bucket of the template, a bucket outside it, or an unknown one. */
export function bucketTarget(value: unknown, ctx: EvaluationContext): BucketTarget {
  const ref = ctx.reference(value);
  if (ref) {
    // A Ref to anything else (a custom resource, say) returns a name only known at deploy.
    const isBucketRef = ref.attribute === 'Ref' && ctx.resource(ref.logicalId)?.type === 'AWS::S3::Bucket';
    return isBucketRef ? { kind: 'bucket', logicalId: ref.logicalId } : { kind: 'unknown' };
  }
  if (isPlainObject(value) && value['Fn::ImportValue'] !== undefined) return { kind: 'external' };
  const { key, literal } = nameKey(value, ctx);
  const logicalId = ctx.index(BUCKETS_BY_NAME).get(key);
  if (logicalId) return { kind: 'bucket', logicalId };
  return literal !== undefined ? { kind: 'external', name: literal } : { kind: 'unknown' };
}

function nameKey(value: unknown, ctx: EvaluationContext): { key: string; literal?: string } {
  try {
    const literal = ctx.string(value, '');
    if (literal !== undefined) return { key: `name:${literal}`, literal };
  } catch (e) {
    if (!(e instanceof Unresolvable)) throw e;
  }
  return { key: `expr:${JSON.stringify(value)}` };
}

/** A bucket of some document of the evaluation. */
export interface LocatedBucket {
  readonly document: RenderedDocument;
  readonly bucket: RenderedResource;
}

/**
 * Resolves a bucket-name value across every document evaluated together: a bucket of its own document, one of
 * another stack (through `Fn::ImportValue` of that stack's export, or its literal name), 'external' for a bucket
 * outside the evaluation, 'unknown' for an intrinsic that cannot be resolved. `contexts` has one context per
 * document of the scope, so their name indexes are built once.
 */
export function locateBucket(
  value: unknown, ctx: EvaluationContext, contexts: ReadonlyMap<RenderedDocument, EvaluationContext>,
): LocatedBucket | 'external' | 'unknown' {
  if (isPlainObject(value) && value['Fn::ImportValue'] !== undefined) {
    let located: ReturnType<EvaluationContext['locate']>;
    try {
      located = ctx.locate(value);
    } catch (e) {
      if (e instanceof Unresolvable) return 'unknown';
      throw e;
    }
    // An export no document of the evaluation declares belongs to a stack outside it.
    if (!located) return 'external';
    const isBucketName = located.resource.type === 'AWS::S3::Bucket' && located.attribute === 'Ref';
    return isBucketName ? { document: located.document, bucket: located.resource } : 'unknown';
  }
  const local = bucketTarget(value, ctx);
  if (local.kind === 'bucket') return { document: ctx.document, bucket: ctx.resource(local.logicalId)! };
  if (local.kind === 'unknown') return 'unknown';
  for (const [document, other] of contexts) {
    if (document === ctx.document) continue;
    const remote = bucketTarget(local.name, other);
    if (remote.kind === 'bucket') return { document, bucket: other.resource(remote.logicalId)! };
  }
  return 'external';
}
