import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import type { Pack } from '../../lib/policy/pack';
import { Compliance } from '../../lib/policy/compliance';
import { ALL_PACKS } from '../../lib/policy/packs';
import { CanaryRelease, CanaryReleaseOptions } from './canary-release';
import { Caller, MeshSecurity, MeshSecurityOptions } from './mesh-security';
import { IAnalysisTemplate } from './model-analysis-template';
import { ModelMonitoring, ModelMonitoringOptions } from './model-monitoring';
import { ModelServer, ModelServerOptions, ServerWorkload } from './model-server';
import { NamespaceBaseline, NamespaceBaselineOptions } from './namespace-baseline';

/** Properties of a `ModelServingChart`: the model server's settings plus the release, mesh and monitoring ones. */
export interface ModelServingChartProps extends ModelServerOptions {
  /** The namespace the model is served in. */
  readonly namespace: string;
  /**
   * Whether the chart creates the namespace and its baseline (Pod Security labels, default-deny policies, quota).
   * Turn it off when the namespace holds other models and is created once elsewhere.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The namespace baseline's settings. Only with `createNamespace`.
   * @default - the `NamespaceBaseline` defaults
   */
  readonly namespaceOptions?: NamespaceBaselineOptions;
  /**
   * How new versions are released.
   * @default - the `CanaryRelease` defaults: 10% → analysis → 50% → analysis → 100%, one canary pod first
   */
  readonly canary?: CanaryReleaseOptions;
  /**
   * The callers, trust domain and namespace mTLS policy.
   * @default - the `MeshSecurity` defaults: STRICT mTLS, no caller
   */
  readonly mesh?: MeshSecurityOptions;
  /**
   * Scraping, alerts and dashboard.
   * @default - the `ModelMonitoring` defaults
   */
  readonly monitoring?: ModelMonitoringOptions;
  /**
   * The packs whose rules the chart's objects must pass: synthesis fails on any finding.
   * @default - every pack of the library
   */
  readonly packs?: Pack[];
  /**
   * Labels added to every object of the chart.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Everything that serves one model on Kubernetes, compliant by construction: the namespace baseline, the model
 * server as an Argo Rollout, its canary release with Prometheus analysis, mesh security and monitoring.
 * Synthesizing it fails on any finding of `packs`.
 *
 * Two ways to deliver it:
 * - GitOps: synthesize to plain YAML, `new App({ outdir: 'gitops/fraud', outputFileExtension: '.k8s.yaml' })`,
 *   add the chart, `app.synth()`, commit the folder for Argo CD or Flux (which must ignore the controller's
 *   changes to the VirtualService weights and DestinationRule subset labels).
 * - CDK: `cluster.addCdk8sChart('fraud', chart)` on the EKS cluster (the chart in a cdk8s `App`, not in the
 *   stack); the manifest needs the Istio, Argo Rollouts and Prometheus Operator CRDs installed first.
 *
 * @example
 * const chart = new ModelServingChart(new App(), 'fraud-detection', {
 *   namespace: 'fraud', model: 'fraud-detection', version: '2.1.0', gpus: 1,
 *   image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud@sha256:...',
 *   mesh: { callers: [{ namespace: 'payments', serviceAccount: 'checkout' }] },
 * });
 */
export class ModelServingChart extends Chart {
  /** The namespace baseline (undefined with `createNamespace: false`). */
  public readonly namespaceBaseline?: NamespaceBaseline;
  public readonly server: ModelServer;
  public readonly canary: CanaryRelease;
  public readonly mesh: MeshSecurity;
  public readonly monitoring: ModelMonitoring;

  constructor(scope: Construct, id: string, props: ModelServingChartProps) {
    super(scope, id, { labels: props.labels });
    const problems = new ProblemCollector(this.node.path, 'ModelServingChart');
    problems.check(props.createNamespace === false && props.namespaceOptions !== undefined, 'namespaceOptions', props.namespaceOptions,
      'namespaceOptions only when the chart creates the namespace', 'drop namespaceOptions, or set createNamespace to true');
    problems.throwIfAny();
    if (props.createNamespace ?? true) {
      this.namespaceBaseline = new NamespaceBaseline(this, 'Namespace', { ...props.namespaceOptions, name: props.namespace });
    }
    this.server = new ModelServer(this, 'Server', { ...props, workload: ServerWorkload.ROLLOUT });
    this.canary = new CanaryRelease(this, 'Canary', { ...props.canary, server: this.server });
    this.mesh = new MeshSecurity(this, 'Mesh', { ...props.mesh, server: this.server });
    this.monitoring = new ModelMonitoring(this, 'Monitoring', { ...props.monitoring, server: this.server });
    Compliance.enforceChart(this, { packs: props.packs ?? ALL_PACKS });
  }

  /** Allows these workloads to call the model (see `MeshSecurity.allowFrom`). */
  public allowFrom(...callers: Caller[]): void {
    this.mesh.allowFrom(...callers);
  }

  /** Adds an analysis template to every canary analysis step (see `CanaryRelease.analyzeWith`). */
  public analyzeWith(template: IAnalysisTemplate): void {
    this.canary.analyzeWith(template);
  }
}
