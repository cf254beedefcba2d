import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelServingChart, NODE_SCHEDULING } from '../../lib';

/** The release being rolled out: what the pipeline changes (image by digest, never by tag). */
export interface FraudRelease {
  /** The model version (`app.kubernetes.io/version`, and the `model_version` label of the drift gauge). */
  readonly version: string;
  /** The serving image, `<registry>/<repository>@sha256:<digest>`. */
  readonly image: string;
}

/** The release this example renders unless the app is given another (`-c version=... -c image=...`). */
export const EXAMPLE_RELEASE: FraudRelease = {
  version: '2.1.0',
  image: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/models/fraud@sha256:${'0123456789abcdef'.repeat(4)}`,
};

/** The thresholds both the canary analysis and the standing alerts hold the model to. */
const MAX_ERROR_RATIO = 0.005;
const MAX_LATENCY_P99 = Duration.millis(150);
const MAX_FEATURE_PSI = 0.2;

/**
 * The card-not-present fraud model on Kubernetes: two pods of one GPU each on the cluster's `inference` node group,
 * released by an Argo Rollout through Istio, 10% of the traffic to one canary pod first, then 50%, then 100%. Before
 * each step up, a Prometheus analysis of the canary's error ratio, p99 latency and input drift (PSI) must pass; a
 * failed analysis aborts the rollout and puts all traffic back on the stable version. Only the payments checkout
 * service may call the model (STRICT mTLS); alerts fire on the same signals while a version is stable.
 */
export class FraudDetectionChart extends ModelServingChart {
  constructor(scope: Construct, id: string, release: FraudRelease) {
    super(scope, id, {
      namespace: 'fraud',
      model: 'fraud-detection',
      version: release.version,
      image: release.image,
      replicas: 2,
      gpus: 1,
      gpuNodeLabels: { [NODE_SCHEDULING.gpuNodeGroupLabel]: 'inference' },
      canary: {
        weights: [10, 50, 100],
        analysis: { maxErrorRatio: MAX_ERROR_RATIO, maxLatencyP99: MAX_LATENCY_P99, maxFeaturePsi: MAX_FEATURE_PSI },
      },
      monitoring: {
        maxErrorRatio: MAX_ERROR_RATIO, maxLatencyP99: MAX_LATENCY_P99, maxFeaturePsi: MAX_FEATURE_PSI,
        runbookUrl: 'https://runbooks.example.com/fraud-detection',
      },
      mesh: { callers: [{ namespace: 'payments', serviceAccount: 'checkout' }] },
    });
  }
}
