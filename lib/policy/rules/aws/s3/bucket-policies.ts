import type { DocumentIndex } from '../../../context';
import type { RenderedResource } from '../../../document';
import { bucketTarget } from './bucket-names';

/** The bucket policies of a template, by the bucket they attach to. */
export interface BucketPolicies {
  /** Bucket logical id → the `AWS::S3::BucketPolicy` resources whose `Bucket` names it. */
  readonly byBucket: ReadonlyMap<string, readonly RenderedResource[]>;
  /** Policies whose `Bucket` is an intrinsic that cannot be matched: each may belong to any bucket. */
  readonly unmapped: readonly RenderedResource[];
}

/** Bucket logical id → bucket policies, built once per document. */
export const BUCKET_POLICIES: DocumentIndex<BucketPolicies> = {
  id: 's3/bucket-policies',
  build(ctx) {
    const byBucket = new Map<string, RenderedResource[]>();
    const unmapped: RenderedResource[] = [];
    for (const policy of ctx.resourcesOfType('AWS::S3::BucketPolicy')) {
      const target = bucketTarget(policy.properties.Bucket, ctx);
      if (target.kind === 'bucket') byBucket.set(target.logicalId, [...(byBucket.get(target.logicalId) ?? []), policy]);
      else if (target.kind === 'unknown') unmapped.push(policy);
    }
    return { byBucket, unmapped };
  },
};
