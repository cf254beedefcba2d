import { AppIndex, EvaluationContext } from '../../../context';
import { isPlainObject, RenderedDocument, RenderedResource } from '../../../document';
import { locateBucket } from './bucket-names';

/** A bucket that delivers its server access logs, and the document (stack) it is in. */
export interface LogSource {
  readonly document: RenderedDocument;
  readonly bucket: RenderedResource;
}

/** Server access logging seen from the receiving side, across every document evaluated together. */
export interface LogDestinations {
  /** Destination bucket → the buckets (of any document) that deliver their access logs to it. */
  readonly sourcesByDestination: ReadonlyMap<RenderedResource, readonly LogSource[]>;
  /** Buckets whose `DestinationBucketName` cannot be resolved at synth (a parameter): each may deliver to any bucket. */
  readonly unmappedSources: readonly LogSource[];
}

/**
 * Reverse index of `LoggingConfiguration.DestinationBucketName`, built once per evaluation: a shared log bucket
 * usually lives in another stack than the buckets that log to it.
 */
export const LOG_DESTINATIONS: AppIndex<LogDestinations> = {
  id: 's3/log-destinations',
  build(scope) {
    // The index reads no date, so the epoch stands in for the synth date.
    const contexts = new Map(scope.documents.map((d) => [d, new EvaluationContext(d, new Date(0), scope)]));
    const sourcesByDestination = new Map<RenderedResource, LogSource[]>();
    const unmappedSources: LogSource[] = [];
    for (const [document, ctx] of contexts) {
      for (const bucket of ctx.resourcesOfType('AWS::S3::Bucket')) {
        const config = bucket.properties.LoggingConfiguration;
        // A conditional logging configuration may name any bucket.
        if (isPlainObject(config) && 'Fn::If' in config) {
          unmappedSources.push({ document, bucket });
          continue;
        }
        const destination = config?.DestinationBucketName;
        if (ctx.isAbsent(destination)) continue;
        const target = locateBucket(destination, ctx, contexts);
        if (target === 'unknown') unmappedSources.push({ document, bucket });
        else if (target !== 'external') sourcesByDestination.set(target.bucket, [...(sourcesByDestination.get(target.bucket) ?? []), { document, bucket }]);
      }
    }
    return { sourcesByDestination, unmappedSources };
  },
};
