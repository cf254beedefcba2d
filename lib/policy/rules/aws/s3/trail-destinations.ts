import { AppIndex, EvaluationContext, EvaluationScope, Unresolvable } from '../../../context';
import { isPlainObject, RenderedDocument, RenderedResource } from '../../../document';
import { bucketTarget } from './bucket-names';

/** A CloudTrail trail and the document it is in. */
export interface TrailOf {
  readonly document: RenderedDocument;
  readonly trail: RenderedResource;
}

/** Where CloudTrail trails deliver their log files, across every document of an evaluation. */
export interface TrailDestinations {
  /** Per document: bucket logical id → the trails (of any document) whose `S3BucketName` names it. */
  readonly byBucket: ReadonlyMap<RenderedDocument, ReadonlyMap<string, readonly TrailOf[]>>;
  /** Per document: its trails whose `S3BucketName` cannot be resolved at synth (a parameter): each may deliver to any of its buckets. */
  readonly unknown: ReadonlyMap<RenderedDocument, readonly RenderedResource[]>;
}

/** Bucket (document, logical id) ← trails, built once per evaluation from every trail's `S3BucketName`. */
export const TRAIL_DESTINATIONS: AppIndex<TrailDestinations> = {
  id: 's3/trail-destinations',
  build(scope) {
    const contexts = new Map(scope.documents.map((d) => [d, contextOf(d, scope)]));
    const byBucket = new Map<RenderedDocument, Map<string, TrailOf[]>>();
    const unknown = new Map<RenderedDocument, RenderedResource[]>();
    for (const [document, ctx] of contexts) {
      for (const trail of ctx.resourcesOfType('AWS::CloudTrail::Trail')) {
        const name = trail.properties.S3BucketName;
        if (ctx.isAbsent(name)) continue;
        const destination = destinationOf(name, ctx, contexts);
        if (destination === 'unknown') {
          unknown.set(document, [...(unknown.get(document) ?? []), trail]);
        } else if (destination) {
          const buckets = byBucket.get(destination.document) ?? new Map<string, TrailOf[]>();
          buckets.set(destination.logicalId, [...(buckets.get(destination.logicalId) ?? []), { document, trail }]);
          byBucket.set(destination.document, buckets);
        }
      }
    }
    return { byBucket, unknown };
  },
};

/** A context for a document of the scope; the index reads no date, so the epoch stands in for the synth date. */
function contextOf(document: RenderedDocument, scope: EvaluationScope): EvaluationContext {
  return new EvaluationContext(document, new Date(0), scope);
}

/**
 * The bucket a trail's `S3BucketName` names: a bucket of its own document (Ref or explicit name), of another
 * document (through `Fn::ImportValue` of its export, or its literal name), undefined for a bucket outside the
 * evaluation, or 'unknown' for an intrinsic that cannot be resolved.
 */
function destinationOf(
  name: unknown, ctx: EvaluationContext, contexts: ReadonlyMap<RenderedDocument, EvaluationContext>,
): { document: RenderedDocument; logicalId: string } | 'unknown' | undefined {
  let located: ReturnType<EvaluationContext['locate']>;
  try {
    located = ctx.locate(name);
  } catch (e) {
    if (e instanceof Unresolvable) return 'unknown';
    throw e;
  }
  if (located) {
    const isBucketName = located.resource.type === 'AWS::S3::Bucket' && located.attribute === 'Ref';
    return isBucketName ? { document: located.document, logicalId: located.resource.logicalId } : 'unknown';
  }
  // An export no document of the evaluation declares: a bucket of a stack outside it.
  if (isPlainObject(name) && name['Fn::ImportValue'] !== undefined) return undefined;
  const local = bucketTarget(name, ctx);
  if (local.kind === 'bucket') return { document: ctx.document, logicalId: local.logicalId };
  if (local.kind === 'unknown') return 'unknown';
  for (const [document, other] of contexts) {
    if (document === ctx.document) continue;
    const remote = bucketTarget(local.name, other);
    if (remote.kind === 'bucket') return { document, logicalId: remote.logicalId };
  }
  return undefined;
}
