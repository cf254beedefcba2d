/**
 * The drift metric contract between a model server and the library: the name and labels of the Prometheus gauge
 * that carries each feature's Population Stability Index (PSI). The canary analysis, the alerts and the dashboard
 * all read this gauge; the model server (or a sidecar beside it) must export it.
 *
 * - `model_feature_psi{model="<model>", model_version="<version>", feature="<feature>"}`: a gauge, the PSI of one
 *   input feature of the live traffic this pod served, against the training (reference) distribution, over the
 *   exporter's own window. One series per feature; `model` and `model_version` equal the pod labels
 *   `app.kubernetes.io/name` and `app.kubernetes.io/version`.
 * - Exported on the model server's metrics port and path (scraped through Istio metrics merging).
 * - PSI < 0.1 is stable, 0.1 to 0.2 moderate, above 0.2 significant (the default thresholds).
 */
export class DriftMetric {
  /** The gauge's name. */
  public static readonly NAME = 'model_feature_psi';
  /** The label naming the model (the pod label `app.kubernetes.io/name`). */
  public static readonly MODEL_LABEL = 'model';
  /** The label naming the model version (the pod label `app.kubernetes.io/version`). */
  public static readonly VERSION_LABEL = 'model_version';
  /** The label naming the input feature. */
  public static readonly FEATURE_LABEL = 'feature';

  /**
   * A PromQL selector for the gauge of one model in one namespace, and of one version when given
   * (`model_feature_psi{namespace="fraud",model="fraud-detection",model_version="2.1.0"}`). The namespace label is
   * the one Prometheus adds to every scraped series.
   */
  public static selector(namespace: string, model: string, version?: string): string {
    const labels = [`namespace="${namespace}"`, `${DriftMetric.MODEL_LABEL}="${model}"`];
    if (version !== undefined) labels.push(`${DriftMetric.VERSION_LABEL}="${version}"`);
    return `${DriftMetric.NAME}{${labels.join(',')}}`;
  }

  private constructor() {}
}
