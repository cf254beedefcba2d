import type { Duration } from 'cdk8s';

/** The port of Istio's merged Prometheus endpoint (application and Envoy metrics), served outside mTLS. */
export const MERGED_METRICS_PORT = 15020;

/** A duration as Prometheus and Argo Rollouts write it: `30m`, `90s` or `1500ms`. */
export function promDuration(d: Duration): string {
  const ms = d.toMilliseconds({ integral: false });
  if (ms % 60000 === 0) return `${ms / 60000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/*
 * PromQL over Istio's standard request metrics, for one model: the canary analysis and the alerts read the same
 * expressions. Sidecars label each request with the destination pod's `app.kubernetes.io/name` and
 * `app.kubernetes.io/version` as `destination_canonical_service` and `destination_canonical_revision`, so a
 * version's traffic is selected by revision whichever ReplicaSet serves it.
 */

/** Which requests: a model in a namespace, and one version when given (a literal, or `{{args.version}}`). */
export interface ModelTraffic {
  readonly namespace: string;
  readonly model: string;
  readonly version?: string;
}

/** The label that carries the model version in Istio metrics. */
export const REVISION_LABEL = 'destination_canonical_revision';

function selector(traffic: ModelTraffic, extra: string[] = []): string {
  const labels = [
    'reporter="destination"',
    `destination_workload_namespace="${traffic.namespace}"`,
    `destination_canonical_service="${traffic.model}"`,
    ...(traffic.version !== undefined ? [`${REVISION_LABEL}="${traffic.version}"`] : []),
    ...extra,
  ];
  return `{${labels.join(',')}}`;
}

const by = (labels: readonly string[]) => (labels.length > 0 ? ` by (${labels.join(', ')})` : '');

/** Requests per second. */
export function requestRate(traffic: ModelTraffic, window: string, groupBy: readonly string[] = []): string {
  return `sum${by(groupBy)} (rate(istio_requests_total${selector(traffic)}[${window}]))`;
}

/** The share of requests answered with a 5xx status (NaN without requests). */
export function errorRatio(traffic: ModelTraffic, window: string, groupBy: readonly string[] = []): string {
  const errors = `sum${by(groupBy)} (rate(istio_requests_total${selector(traffic, ['response_code=~"5.."'])}[${window}]))`;
  return `${errors} / ${requestRate(traffic, window, groupBy)}`;
}

/** The 99th percentile of request duration, in milliseconds. */
export function latencyP99Ms(traffic: ModelTraffic, window: string, groupBy: readonly string[] = []): string {
  return `histogram_quantile(0.99, sum by (${['le', ...groupBy].join(', ')}) (rate(istio_request_duration_milliseconds_bucket${selector(traffic)}[${window}])))`;
}
