import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { describeValue, ProblemCollector } from '../../lib/core/errors';
import { IAnalysisTemplate, ModelAnalysisOptions, ModelAnalysisTemplate } from './model-analysis-template';
import { ModelServer, ServerWorkload } from './model-server';
import { checkInteger } from './private/validation';

/** How a model version is released (shared with `ModelServingChart`). */
export interface CanaryReleaseOptions {
  /**
   * The canary's share of traffic, step by step, in percent: whole numbers from 1 to 100, rising, ending at 100.
   * After every step below 100 the analysis runs; the next step starts only when it succeeds.
   * @default [10, 50, 100]
   */
  readonly weights?: number[];
  /**
   * Canary pods during the first step (`setCanaryScale`), so a 10% canary takes one GPU pod, not a full copy.
   * Later steps scale the canary with its traffic weight.
   * @default 1
   */
  readonly canaryReplicas?: number;
  /**
   * Thresholds and cadence of the model analysis the canary runs. Not with `analysisTemplates`.
   * @default - the `ModelAnalysisTemplate` defaults: error ratio 1%, p99 500 ms, PSI 0.2, failureLimit 1, no data fails
   */
  readonly analysis?: ModelAnalysisOptions;
  /**
   * The analysis templates every analysis step runs, instead of the model analysis. At least one: a canary
   * without analysis is promoted on time alone. More can be added with `analyzeWith`.
   * @default - one `ModelAnalysisTemplate` (child 'Analysis') built from `analysis`
   */
  readonly analysisTemplates?: IAnalysisTemplate[];
}

/** Properties of a `CanaryRelease`. */
export interface CanaryReleaseProps extends CanaryReleaseOptions {
  /** The model server to release: created with `workload: ServerWorkload.ROLLOUT`. */
  readonly server: ModelServer;
}

/** The VirtualService route the Rollout controller re-weights. */
const PRIMARY_ROUTE = 'primary';
/** The DestinationRule subsets of the stable and the canary pods. */
const STABLE_SUBSET = 'stable';
const CANARY_SUBSET = 'canary';

/**
 * A canary release of a model server with Argo Rollouts and Istio: the new version takes 10%, then 50%, then all
 * of the traffic, and an analysis on Prometheus after each step decides whether it may go on. A failed analysis
 * aborts the Rollout, which returns 100% of the traffic to the stable version without a person.
 *
 * Under the hood: sets the server's Rollout strategy to a canary with Istio subset-level traffic routing
 * (`setCanaryScale` to `canaryReplicas`, then each weight followed by an analysis step running every template
 * with its arguments, `setCanaryScale: matchTrafficWeight` from the second step on); a VirtualService named after the
 * model with the HTTP route `primary` splitting the Service host between the `stable` (weight 100) and `canary`
 * (weight 0) subsets, the resting state the controller starts from; a DestinationRule with those subsets and
 * `ISTIO_MUTUAL` client TLS (the controller adds each subset's `rollouts-pod-template-hash`); and, unless
 * `analysisTemplates` is given, a `ModelAnalysisTemplate`.
 *
 * For GitOps: Argo CD or Flux must ignore the controller's changes to the VirtualService weights and the
 * DestinationRule subset labels, and re-applying the chart mid-release resets the weights.
 *
 * @example
 * const server = new ModelServer(chart, 'Server', { ...serverProps, workload: ServerWorkload.ROLLOUT });
 * const canary = new CanaryRelease(chart, 'Canary', { server, analysis: { maxLatencyP99: Duration.millis(250) } });
 * canary.analyzeWith(businessKpiTemplate);
 */
export class CanaryRelease extends Construct {
  /** The VirtualService's name (the model's name). */
  public readonly virtualServiceName: string;
  /** The DestinationRule's name (the model's name). */
  public readonly destinationRuleName: string;
  /** The traffic weights, in order. */
  public readonly weights: readonly number[];
  /** The model analysis this construct created (undefined with `analysisTemplates`). */
  public readonly modelAnalysis?: ModelAnalysisTemplate;
  private readonly server: ModelServer;
  private readonly templates: IAnalysisTemplate[] = [];
  /** The arguments the analysis steps pass, by name. */
  private readonly args = new Map<string, string>();

  constructor(scope: Construct, id: string, props: CanaryReleaseProps) {
    super(scope, id);
    const { weights, canaryReplicas } = validate(this.node.path, props);
    const { server } = props;
    const rollout = server._rollout!;
    this.server = server;
    this.weights = weights;
    this.virtualServiceName = server.model;
    this.destinationRuleName = server.model;

    if (!props.analysisTemplates) this.modelAnalysis = new ModelAnalysisTemplate(this, 'Analysis', { ...props.analysis, server });
    for (const template of props.analysisTemplates ?? [this.modelAnalysis!]) this.add(template, 'analysisTemplates');

    const destination = (subset: string) => ({ host: server.serviceHost, subset, port: { number: server.port } });
    new ApiObject(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: this.virtualServiceName, namespace: server.namespace, labels: server.selectorLabels },
      spec: {
        hosts: [server.serviceHost],
        http: [{ name: PRIMARY_ROUTE, route: [{ destination: destination(STABLE_SUBSET), weight: 100 }, { destination: destination(CANARY_SUBSET), weight: 0 }] }],
      },
    });
    new ApiObject(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: this.destinationRuleName, namespace: server.namespace, labels: server.selectorLabels },
      spec: {
        host: server.serviceHost,
        trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
        subsets: [{ name: STABLE_SUBSET, labels: server.selectorLabels }, { name: CANARY_SUBSET, labels: server.selectorLabels }],
      },
    });

    rollout.useStrategy(() => ({
      canary: {
        trafficRouting: {
          istio: {
            virtualService: { name: this.virtualServiceName, routes: [PRIMARY_ROUTE] },
            destinationRule: { name: this.destinationRuleName, stableSubsetName: STABLE_SUBSET, canarySubsetName: CANARY_SUBSET },
          },
        },
        steps: this.steps(canaryReplicas),
      },
    }));
  }

  /**
   * Adds a template every analysis step runs too (a business KPI, a shadow comparison). Its arguments join the
   * step's; a name another template already passes must carry the same value.
   */
  public analyzeWith(template: IAnalysisTemplate): void {
    this.add(template, 'analyzeWith(template)');
  }

  private add(template: IAnalysisTemplate, prop: string): void {
    const problems = new ProblemCollector(this.node.path, 'CanaryRelease');
    problems.check(this.templates.some((t) => t.templateName === template.templateName), prop, template.templateName,
      'templates with distinct names (two objects of one name overwrite each other)', 'give the second template its own templateName');
    const args = template.argumentsFor(this.server);
    for (const { name, value } of args) {
      const seen = this.args.get(name);
      problems.check(seen !== undefined && seen !== value, prop, `${template.templateName} with argument ${name}='${value}'`,
        `the value the step already passes for ${name} ('${seen}'): one argument list serves every template of a step`,
        'give the template an argument name of its own');
    }
    problems.throwIfAny();
    for (const { name, value } of args) this.args.set(name, value);
    this.templates.push(template);
  }

  private steps(canaryReplicas: number): Record<string, any>[] {
    const analysis = {
      analysis: {
        templates: this.templates.map((t) => ({ templateName: t.templateName })),
        args: [...this.args].map(([name, value]) => ({ name, value })),
      },
    };
    return this.weights.flatMap((weight, i) => [
      // One pod carries the first, small step; from the second on, the canary grows with its traffic.
      ...(i === 0 ? [{ setCanaryScale: { replicas: canaryReplicas } }] : i === 1 ? [{ setCanaryScale: { matchTrafficWeight: true } }] : []),
      { setWeight: weight },
      ...(weight < 100 ? [analysis] : []),
    ]);
  }
}

function validate(path: string, props: CanaryReleaseProps): { weights: number[]; canaryReplicas: number } {
  const problems = new ProblemCollector(path, 'CanaryRelease');
  const weights = props.weights ?? [10, 50, 100];
  const canaryReplicas = props.canaryReplicas ?? 1;
  if (props.server.workloadKind !== ServerWorkload.ROLLOUT) {
    problems.add('server', `a ModelServer rendering a ${props.server.workloadKind}`, 'a ModelServer with workload: ServerWorkload.ROLLOUT',
      'create the ModelServer with workload: ServerWorkload.ROLLOUT, so the Rollout owns the pod template');
  } else if (props.server._rollout?.hasStrategy) {
    problems.add('server', `ModelServer ${props.server.node.path}, already released by another CanaryRelease`, 'one CanaryRelease per ModelServer',
      'remove the second CanaryRelease');
  }
  if (weights.length === 0) {
    problems.add('weights', weights, 'at least one step, the last 100', 'omit weights for [10, 50, 100]');
  } else {
    weights.forEach((w, i) => checkInteger(problems, `weights[${i}]`, w, 1, 100, 'give each step\'s share of traffic in percent, e.g. 10'));
    const falling = weights.findIndex((w, i) => i > 0 && w <= weights[i - 1]);
    problems.check(falling > 0, 'weights', weights, 'weights that rise step by step', `sort the steps and drop repeats, e.g. ${describeValue([...new Set(weights)].sort((a, b) => a - b))}`);
    problems.check(weights.every((w) => w >= 100), 'weights', weights, 'at least one step below 100: the analysis runs after each of them',
      'start with a small share, e.g. [10, 50, 100]');
    const last = weights[weights.length - 1];
    problems.check(last !== 100, 'weights', weights, 'a last step of 100 (the new version takes all traffic once every analysis passed)',
      `append 100: ${describeValue([...weights.filter((w) => w < 100), 100])}`);
  }
  checkInteger(problems, 'canaryReplicas', canaryReplicas, 1, Math.max(1, props.server.replicas), 'run the first step on 1 pod');
  problems.check(props.analysis !== undefined && props.analysisTemplates !== undefined, 'analysis', props.analysis,
    'analysis or analysisTemplates, not both', 'drop analysisTemplates to run the model analysis with these thresholds, and add other templates with analyzeWith');
  problems.check(props.analysisTemplates?.length === 0, 'analysisTemplates', props.analysisTemplates,
    'at least one analysis template: a canary without analysis is promoted on time alone, and nothing rolls it back',
    'omit analysisTemplates for the model analysis (error ratio, p99 latency, feature PSI), or pass the templates to run');
  problems.throwIfAny();
  return { weights, canaryReplicas };
}
