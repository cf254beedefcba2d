import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { DriftMetric } from './drift-metric';
import type { ModelServer } from './model-server';
import { errorRatio, latencyP99Ms, promDuration } from './private/prometheus';
import { checkDnsLabel, checkInteger, checkMinDuration } from './private/validation';

/** An argument a Rollout passes to an analysis template. */
export interface AnalysisArgument {
  /** The argument's name, as the template declares it. */
  readonly name: string;
  /** Its value. */
  readonly value: string;
}

/** An Argo Rollouts AnalysisTemplate a canary can run. */
export interface IAnalysisTemplate {
  /** The template's `metadata.name`, in the namespace of the Rollout. */
  readonly templateName: string;
  /** The arguments the Rollout of `server` passes to it. */
  argumentsFor(server: ModelServer): AnalysisArgument[];
}

/** How a measurement that finds no data (no canary requests yet, no drift gauge) counts. */
export enum NoData {
  /** As a failed measurement: a version that serves nothing or exports no drift is not promoted. */
  FAILURE = 'Failure',
  /** As a successful measurement: only data that breaches a threshold fails. */
  SUCCESS = 'Success',
}

/** Thresholds and cadence of the model analysis (shared with `CanaryRelease` and `ModelServingChart`). */
export interface ModelAnalysisOptions {
  /**
   * The Prometheus the Argo Rollouts controller queries.
   * @default 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090'
   */
  readonly prometheusAddress?: string;
  /**
   * The highest share of the canary's requests that may fail with a 5xx status (0 to 1, exclusive).
   * @default 0.01
   */
  readonly maxErrorRatio?: number;
  /**
   * The highest 99th-percentile request duration of the canary.
   * @default Duration.millis(500)
   */
  readonly maxLatencyP99?: Duration;
  /**
   * The highest PSI any feature of the canary may reach.
   * @default 0.2
   */
  readonly maxFeaturePsi?: number;
  /**
   * How many failed measurements each metric tolerates; one more aborts the release. Below `count`.
   * @default 1 (a single noisy measurement at low canary traffic does not abort; a breach that lasts two does)
   */
  readonly failureLimit?: number;
  /**
   * Time between measurements (at least 30 seconds).
   * @default Duration.minutes(2)
   */
  readonly interval?: Duration;
  /**
   * Measurements per metric in each analysis step: the step takes `window + count x interval`.
   * @default 5
   */
  readonly count?: number;
  /**
   * The rate window of the error ratio and latency queries, and the delay before the first measurement, so that
   * it sees a full window of canary traffic (at least 1 minute).
   * @default Duration.minutes(5)
   */
  readonly window?: Duration;
  /**
   * The window over which the highest PSI is taken: drift at 10% of the traffic is noisy (at least 5 minutes).
   * @default Duration.minutes(30)
   */
  readonly psiWindow?: Duration;
  /**
   * How a measurement without data counts.
   * @default NoData.FAILURE (the conservative choice for a regulated release gate: a canary that received no
   * traffic, or exports no drift gauge, has shown nothing and is not promoted. Low-traffic models may need
   * longer windows or NoData.SUCCESS, which lets a silent canary through.)
   */
  readonly noDataIs?: NoData;
}

/** Properties of a `ModelAnalysisTemplate`. */
export interface ModelAnalysisTemplateProps extends ModelAnalysisOptions {
  /** The model server whose canary the template measures. */
  readonly server: ModelServer;
  /**
   * The template's name (an RFC 1123 label), unique in the namespace.
   * @default '<model>-analysis'
   */
  readonly templateName?: string;
}

/** The metric names, also the names in AnalysisRuns. */
const ANALYSIS_METRICS = { errorRatio: 'error-ratio', latencyP99: 'latency-p99', featurePsi: 'feature-psi' } as const;
const VERSION_ARGUMENT = 'version';

/**
 * An Argo Rollouts AnalysisTemplate on Prometheus that decides whether a model version may take more traffic:
 * its error ratio, its p99 latency (Istio request metrics, selected by the version's canonical revision) and the
 * highest PSI of its features (the `DriftMetric` gauge). The Rollout passes the version as the `version`
 * argument, so the template serves every release of the model.
 *
 * Under the hood: an AnalysisTemplate `templateName` in the server's namespace, three metrics with `interval`, `count`,
 * `initialDelay` = `window`, `failureLimit`, a success condition that handles empty or NaN results as
 * `noDataIs` says, and measurement retention equal to `count` (the AnalysisRun keeps every measurement: the
 * evidence of the release decision). A failed metric fails the AnalysisRun; the Rollout then aborts and returns
 * all traffic to the stable version.
 */
export class ModelAnalysisTemplate extends Construct implements IAnalysisTemplate {
  public readonly templateName: string;

  constructor(scope: Construct, id: string, props: ModelAnalysisTemplateProps) {
    super(scope, id);
    const s = settingsOf(this.node.path, props);
    const { server } = props;
    this.templateName = props.templateName ?? `${server.model}-analysis`;
    const canary = { namespace: server.namespace, model: server.model, version: `{{args.${VERSION_ARGUMENT}}}` };
    const window = promDuration(s.window);
    const metric = (name: string, query: string, threshold: number) => ({
      name,
      interval: promDuration(s.interval),
      initialDelay: window,
      count: s.count,
      failureLimit: s.failureLimit,
      successCondition: successCondition(s.noDataIs, threshold),
      provider: { prometheus: { address: s.prometheusAddress, query } },
    });
    new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: this.templateName, namespace: server.namespace, labels: server.selectorLabels },
      spec: {
        args: [{ name: VERSION_ARGUMENT }],
        metrics: [
          metric(ANALYSIS_METRICS.errorRatio, errorRatio(canary, window), s.maxErrorRatio),
          metric(ANALYSIS_METRICS.latencyP99, latencyP99Ms(canary, window), s.maxLatencyP99.toMilliseconds({ integral: false })),
          metric(ANALYSIS_METRICS.featurePsi,
            `max(max_over_time(${DriftMetric.selector(server.namespace, server.model, canary.version)}[${promDuration(s.psiWindow)}]))`, s.maxFeaturePsi),
        ],
        measurementRetention: Object.values(ANALYSIS_METRICS).map((metricName) => ({ metricName, limit: s.count })),
      },
    });
  }

  /** The Rollout passes the version its pod template serves. */
  public argumentsFor(server: ModelServer): AnalysisArgument[] {
    return [{ name: VERSION_ARGUMENT, value: server.version }];
  }
}

function successCondition(noData: NoData, threshold: number): string {
  // The Prometheus provider gives a vector as a list; a ratio without requests is NaN.
  return noData === NoData.SUCCESS
    ? `len(result) == 0 || isNaN(result[0]) || result[0] <= ${threshold}`
    : `len(result) > 0 && !isNaN(result[0]) && result[0] <= ${threshold}`;
}

interface Settings {
  readonly prometheusAddress: string;
  readonly maxErrorRatio: number;
  readonly maxLatencyP99: Duration;
  readonly maxFeaturePsi: number;
  readonly failureLimit: number;
  readonly interval: Duration;
  readonly count: number;
  readonly window: Duration;
  readonly psiWindow: Duration;
  readonly noDataIs: NoData;
}

function settingsOf(path: string, props: ModelAnalysisTemplateProps): Settings {
  const s: Settings = {
    prometheusAddress: props.prometheusAddress ?? 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090',
    maxErrorRatio: props.maxErrorRatio ?? 0.01,
    maxLatencyP99: props.maxLatencyP99 ?? Duration.millis(500),
    maxFeaturePsi: props.maxFeaturePsi ?? 0.2,
    failureLimit: props.failureLimit ?? 1,
    interval: props.interval ?? Duration.minutes(2),
    count: props.count ?? 5,
    window: props.window ?? Duration.minutes(5),
    psiWindow: props.psiWindow ?? Duration.minutes(30),
    noDataIs: props.noDataIs ?? NoData.FAILURE,
  };
  const problems = new ProblemCollector(path, 'ModelAnalysisTemplate');
  if (props.templateName !== undefined) checkDnsLabel(problems, 'templateName', props.templateName);
  problems.check(!/^https?:\/\/[^\s/]+/.test(s.prometheusAddress), 'prometheusAddress', s.prometheusAddress, 'an http(s) URL',
    "give the Prometheus service URL, e.g. 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090'");
  problems.check(!(s.maxErrorRatio > 0 && s.maxErrorRatio < 1), 'maxErrorRatio', s.maxErrorRatio, 'a share between 0 and 1, exclusive',
    'give the error ratio as a fraction, e.g. 0.01 for 1%');
  const latencyMs = s.maxLatencyP99.toMilliseconds({ integral: false });
  problems.check(!(latencyMs > 0), 'maxLatencyP99', `${latencyMs} ms`, 'a positive duration', 'give the latency budget, e.g. Duration.millis(500)');
  problems.check(!(s.maxFeaturePsi > 0 && s.maxFeaturePsi <= 10), 'maxFeaturePsi', s.maxFeaturePsi, 'a PSI above 0 and at most 10',
    'use 0.2 (significant shift) or 0.25');
  checkInteger(problems, 'count', s.count, 1, 100, 'take enough measurements to judge the step, e.g. 5');
  checkInteger(problems, 'failureLimit', s.failureLimit, 0, Math.max(0, s.count - 1),
    'tolerate fewer failed measurements than the count, or the analysis can never fail (e.g. 1 with count 5)');
  checkMinDuration(problems, 'interval', s.interval, 30, 'at least 30 seconds (Prometheus scrapes every 30 s)', 'measure every 2 minutes: Duration.minutes(2)');
  checkMinDuration(problems, 'window', s.window, 60, 'at least 1 minute', 'use Duration.minutes(5)');
  checkMinDuration(problems, 'psiWindow', s.psiWindow, 300, 'at least 5 minutes (PSI at canary traffic is noisy)', 'use Duration.minutes(30)');
  problems.throwIfAny();
  return s;
}
