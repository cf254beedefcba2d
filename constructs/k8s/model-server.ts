import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { checkDnsLabel, checkInteger, checkLabelValue, checkMinDuration } from './private/validation';
import { DROP_ALL_CAPABILITIES, patchPodTemplate } from './private/plus-gaps';
import { RolloutWorkload } from './private/rollout-workload';

/** What runs the model server's pods. */
export enum ServerWorkload {
  /** A Deployment: rolling updates without traffic analysis. */
  DEPLOYMENT = 'Deployment',
  /** An Argo Rollouts `Rollout` owning the pod template; a `CanaryRelease` must set its strategy. */
  ROLLOUT = 'Rollout',
}

/** A taint GPU nodes carry, which the model server's pods tolerate. */
export interface GpuTaint {
  /** The taint key. */
  readonly key: string;
  /**
   * The taint value. The toleration matches it exactly when set.
   * @default - any value (operator Exists)
   */
  readonly value?: string;
  /**
   * The taint effect.
   * @default kplus.TaintEffect.NO_SCHEDULE
   */
  readonly effect?: kplus.TaintEffect;
}

/** The model server's settings that do not depend on where it is placed (shared with `ModelServingChart`). */
export interface ModelServerOptions {
  /**
   * The model's name: the `app.kubernetes.io/name` label and the name of the workload, Service, service account
   * and PodDisruptionBudget. An RFC 1123 label of at most 53 characters (suffixes are added to it).
   */
  readonly model: string;
  /**
   * The model version this pod template serves: the `app.kubernetes.io/version` label, which Istio reports as
   * `destination_canonical_revision` and the drift metric carries as `model_version`. Change it with every
   * release: the canary analysis tells the new version's traffic from the stable one's by it.
   */
  readonly version: string;
  /** The serving image, pinned by digest (`<repository>@sha256:<64 hex>`; a tag may precede the digest). */
  readonly image: string;
  /**
   * The HTTP port the server listens on (named `http` on the Service, so Istio treats it as HTTP).
   * @default 8080
   */
  readonly port?: number;
  /**
   * The port the server exports Prometheus metrics on (including the drift gauge). Istio metrics merging serves
   * them, with the sidecar's, on port 15020.
   * @default - `port`
   */
  readonly metricsPort?: number;
  /**
   * The path of the Prometheus metrics.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * NVIDIA GPUs per pod, requested and limited as `nvidia.com/gpu`. 0 runs on CPU nodes.
   * @default 0
   */
  readonly gpus?: number;
  /**
   * The taints of the GPU nodes, which GPU pods tolerate. Only with `gpus`.
   * @default - [{ key: 'nvidia.com/gpu', effect: NO_SCHEDULE }] when gpus is above 0
   */
  readonly gpuTaints?: GpuTaint[];
  /**
   * Node labels GPU pods require (node affinity). Only with `gpus`.
   * @default - { 'nvidia.com/gpu.present': 'true' } when gpus is above 0
   */
  readonly gpuNodeLabels?: { [key: string]: string };
  /**
   * CPU and memory requests and limits of the server container; a field left out keeps its default.
   * @default - cpu request 2, limit 4; memory request and limit 8 GiB
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The numeric user id the server runs as (not 0). The image's files must be readable by it.
   * @default 65532
   */
  readonly user?: number;
  /**
   * The numeric group id the server runs as, also the pod's fsGroup.
   * @default 65532
   */
  readonly group?: number;
  /**
   * The readiness probe's HTTP path.
   * @default '/v2/health/ready' (Open Inference Protocol)
   */
  readonly readinessPath?: string;
  /**
   * The liveness and startup probes' HTTP path.
   * @default '/v2/health/live' (Open Inference Protocol)
   */
  readonly livenessPath?: string;
  /**
   * How long the server may take to load the model before the startup probe gives up (at least 10 seconds).
   * @default Duration.minutes(10)
   */
  readonly startupTimeout?: Duration;
  /**
   * Writable directories (the root filesystem is read-only), each an emptyDir of at most 1 GiB. Absolute paths.
   * @default ['/tmp']
   */
  readonly scratchPaths?: string[];
  /**
   * Arguments to the image's entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Environment variables of the server container.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * How many pods a voluntary disruption (node drain, upgrade) may take down at once (PodDisruptionBudget).
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/** Properties of a `ModelServer`. */
export interface ModelServerProps extends ModelServerOptions {
  /** The namespace the server runs in. */
  readonly namespace: string;
  /**
   * What runs the pods. ROLLOUT needs a `CanaryRelease` for the server.
   * @default ServerWorkload.DEPLOYMENT
   */
  readonly workload?: ServerWorkload;
}

/** The label Kubernetes recommends for the application name; the selector of every model object. */
const NAME_LABEL = 'app.kubernetes.io/name';
/** The label Kubernetes recommends for the application version. */
const VERSION_LABEL = 'app.kubernetes.io/version';
/** The server container's name. */
const CONTAINER = 'server';
/** Ports the Istio sidecar uses (15000 to 15099): the application may not listen on them. */
const ISTIO_PORTS = { from: 15000, to: 15099 };
const DEFAULT_GPU_TAINTS: GpuTaint[] = [{ key: 'nvidia.com/gpu', effect: kplus.TaintEffect.NO_SCHEDULE }];
const DEFAULT_GPU_LABELS = { 'nvidia.com/gpu.present': 'true' };
const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** The longest model name: object names add suffixes of up to 10 characters (`-dashboard`). */
const MAX_MODEL_LENGTH = 53;

/**
 * The workload serving one version of a model, PSS restricted.
 *
 * Under the hood: a Deployment (or, with `ServerWorkload.ROLLOUT`, an Argo Rollout owning the same pod
 * template) named after the model; one container by image digest with CPU and memory requests and limits,
 * `nvidia.com/gpu` requested and limited as a quantity when `gpus` is set, a toleration of the GPU taint and node
 * affinity to the GPU label; pod and container security contexts with a numeric non-root user, no privilege
 * escalation, all capabilities dropped, seccomp RuntimeDefault and a read-only root filesystem (emptyDir volumes
 * for `scratchPaths`); HTTP readiness, liveness and startup probes; a service account without token automount; a
 * ClusterIP Service with the port named `http`; a PodDisruptionBudget. Pods carry `app.kubernetes.io/name` and
 * `app.kubernetes.io/version` (Istio's canonical service and revision) and the `prometheus.io/*` annotations
 * that Istio metrics merging reads.
 *
 * @example
 * const server = new ModelServer(chart, 'Server', {
 *   namespace: 'fraud', model: 'fraud-detection', version: '2.1.0',
 *   image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/fraud@sha256:...', gpus: 1,
 * });
 */
export class ModelServer extends Construct {
  /** The namespace the server runs in. */
  public readonly namespace: string;
  /** The model's name. */
  public readonly model: string;
  /** The model version of the pod template. */
  public readonly version: string;
  /** The HTTP port. */
  public readonly port: number;
  /** The number of pods. */
  public readonly replicas: number;
  /** NVIDIA GPUs per pod. */
  public readonly gpus: number;
  /** What runs the pods. */
  public readonly workloadKind: ServerWorkload;
  /** The Deployment or Rollout. */
  public readonly workload: kplus.Workload;
  /** The ClusterIP Service in front of the pods (named after the model). */
  public readonly service: kplus.Service;
  /** The pods' service account (named after the model), without token automount. */
  public readonly serviceAccount: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: ModelServerProps) {
    super(scope, id);
    const settings = validate(this.node.path, props);
    this.namespace = props.namespace;
    this.model = props.model;
    this.version = props.version;
    this.port = settings.port;
    this.replicas = settings.replicas;
    this.gpus = settings.gpus;
    this.workloadKind = props.workload ?? ServerWorkload.DEPLOYMENT;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.model, namespace: this.namespace, labels: this.selectorLabels },
      automountToken: false,
    });

    const workloadProps: kplus.WorkloadProps = {
      metadata: { name: this.model, namespace: this.namespace, labels: this.podLabels },
      podMetadata: {
        labels: this.podLabels,
        annotations: {
          // Istio metrics merging reads these, then serves the app's metrics with its own on port 15020.
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': String(settings.metricsPort),
          'prometheus.io/path': settings.metricsPath,
          'kubectl.kubernetes.io/default-container': CONTAINER,
        },
      },
      // The selector must survive a version change (selectors are immutable), so it is the name label only.
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      securityContext: {
        ensureNonRoot: true,
        user: settings.user,
        group: settings.group,
        fsGroup: settings.group,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
    };
    const workload = this.workloadKind === ServerWorkload.ROLLOUT
      ? new RolloutWorkload(this, 'Resource', { ...workloadProps, replicas: this.replicas })
      : new kplus.Deployment(this, 'Resource', { ...workloadProps, replicas: this.replicas });
    workload.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    this.workload = workload;

    const container = workload.addContainer({
      name: CONTAINER,
      image: props.image,
      args: props.args,
      ports: [
        { number: this.port, name: 'http' },
        ...(settings.metricsPort !== this.port ? [{ number: settings.metricsPort, name: 'metrics' }] : []),
      ],
      envVariables: Object.fromEntries(Object.entries(props.env ?? {}).map(([name, value]) => [name, kplus.EnvValue.fromValue(value)])),
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      resources: {
        cpu: props.resources?.cpu ?? { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(4) },
        memory: props.resources?.memory ?? { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
        ephemeralStorage: props.resources?.ephemeralStorage,
      },
      securityContext: {
        ensureNonRoot: true,
        user: settings.user,
        group: settings.group,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: DROP_ALL_CAPABILITIES,
      },
      readiness: kplus.Probe.fromHttpGet(settings.readinessPath, { port: this.port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      liveness: kplus.Probe.fromHttpGet(settings.livenessPath, { port: this.port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      // Loading a model onto a GPU can take minutes: the startup probe holds liveness off until then.
      startup: kplus.Probe.fromHttpGet(settings.livenessPath, {
        port: this.port, periodSeconds: Duration.seconds(10), failureThreshold: Math.ceil(settings.startupTimeout.toSeconds({ integral: false }) / 10),
      }),
    });
    settings.scratchPaths.forEach((path, i) => {
      const volume = kplus.Volume.fromEmptyDir(this, `Scratch${i}`, `scratch-${i}`, { sizeLimit: Size.gibibytes(1) });
      container.mount(path, volume);
    });

    if (this.gpus > 0) {
      for (const taint of settings.gpuTaints) {
        const options = { effect: taint.effect ?? kplus.TaintEffect.NO_SCHEDULE };
        workload.scheduling.tolerate(kplus.Node.tainted(taint.value === undefined
          ? kplus.NodeTaintQuery.exists(taint.key, options)
          : kplus.NodeTaintQuery.is(taint.key, taint.value, options)));
      }
      workload.scheduling.attract(kplus.Node.labeled(...Object.entries(settings.gpuNodeLabels).map(([key, value]) => kplus.NodeLabelQuery.is(key, value))));
    }
    patchPodTemplate(workload, { gpus: this.gpus, containerIndex: 0 });

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: this.model, namespace: this.namespace, labels: this.selectorLabels },
      // By the name label, like the workload's selector, rather than cdk8s-plus's per-construct address label.
      selector: kplus.Pods.select(this, 'Pods', { labels: this.selectorLabels }),
      ports: [{ name: 'http', port: this.port, targetPort: this.port }],
    });

    new kplus.k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.model, namespace: this.namespace, labels: this.selectorLabels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(settings.maxUnavailable), selector: { matchLabels: this.selectorLabels } },
    });

    if (workload instanceof RolloutWorkload) {
      this.node.addValidation({
        validate: () => workload.hasStrategy ? [] : [
          `the ${this.model} Rollout has no strategy: create a CanaryRelease with server set to this ModelServer, or use ServerWorkload.DEPLOYMENT`,
        ],
      });
    }
  }

  /** The labels selecting the model's pods across versions (`app.kubernetes.io/name`). */
  public get selectorLabels(): { [key: string]: string } {
    return { [NAME_LABEL]: this.model };
  }

  /** The labels of the model's pods: name and version. */
  public get podLabels(): { [key: string]: string } {
    return { [NAME_LABEL]: this.model, [VERSION_LABEL]: this.version };
  }

  /** The Service's cluster-local DNS name (`<model>.<namespace>.svc.cluster.local`). */
  public get serviceHost(): string {
    return `${this.model}.${this.namespace}.svc.cluster.local`;
  }

  /**
   * The Rollout, for the `CanaryRelease` that sets its strategy.
   * @internal
   */
  public get _rollout(): RolloutWorkload | undefined {
    return this.workload instanceof RolloutWorkload ? this.workload : undefined;
  }
}

interface Settings {
  readonly port: number;
  readonly metricsPort: number;
  readonly metricsPath: string;
  readonly replicas: number;
  readonly gpus: number;
  readonly gpuTaints: readonly GpuTaint[];
  readonly gpuNodeLabels: { readonly [key: string]: string };
  readonly user: number;
  readonly group: number;
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupTimeout: Duration;
  readonly scratchPaths: readonly string[];
  readonly maxUnavailable: number;
}

function validate(path: string, props: ModelServerProps): Settings {
  const problems = new ProblemCollector(path, 'ModelServer');
  const s: Settings = {
    port: props.port ?? 8080,
    metricsPort: props.metricsPort ?? props.port ?? 8080,
    metricsPath: props.metricsPath ?? '/metrics',
    replicas: props.replicas ?? 2,
    gpus: props.gpus ?? 0,
    gpuTaints: props.gpuTaints ?? DEFAULT_GPU_TAINTS,
    gpuNodeLabels: props.gpuNodeLabels ?? DEFAULT_GPU_LABELS,
    user: props.user ?? 65532,
    group: props.group ?? 65532,
    readinessPath: props.readinessPath ?? '/v2/health/ready',
    livenessPath: props.livenessPath ?? '/v2/health/live',
    startupTimeout: props.startupTimeout ?? Duration.minutes(10),
    scratchPaths: props.scratchPaths ?? ['/tmp'],
    maxUnavailable: props.maxUnavailable ?? 1,
  };

  checkDnsLabel(problems, 'namespace', props.namespace);
  checkDnsLabel(problems, 'model', props.model, MAX_MODEL_LENGTH, ' (object names add suffixes to it)');
  checkLabelValue(problems, 'version', props.version);
  if (!DIGEST.test(props.image)) {
    problems.add('image', props.image, 'an image pinned by digest: <repository>@sha256:<64 lowercase hex digits>',
      'reference the image by the digest of the pushed, scanned and approved build (docker push prints it; ECR: describe-images), e.g. ImageRepository.imageUri(digest)');
  }
  // metricsPort defaults to port: checking it too would report one mistake twice.
  const ports = props.metricsPort === undefined ? [['port', s.port] as const] : [['port', s.port] as const, ['metricsPort', s.metricsPort] as const];
  for (const [prop, port] of ports) {
    checkInteger(problems, prop, port, 1, 65535, 'use the port the server listens on, e.g. 8080');
    problems.check(port >= ISTIO_PORTS.from && port <= ISTIO_PORTS.to, prop, port, `a port outside ${ISTIO_PORTS.from} to ${ISTIO_PORTS.to}, which the Istio sidecar uses`,
      'move the server to another port, e.g. 8080');
  }
  checkInteger(problems, 'replicas', s.replicas, 1, 1000, 'run at least 2 pods so a disruption leaves one serving');
  checkInteger(problems, 'gpus', s.gpus, 0, 16, 'request the GPUs one pod needs, e.g. 1 (0 for a CPU model)');
  if (s.gpus > 0) {
    problems.check(s.gpuTaints.length === 0, 'gpuTaints', s.gpuTaints, 'at least one taint when gpus is above 0: GPU nodes are tainted so that only GPU pods land there, and a pod without the toleration stays Pending',
      "omit gpuTaints to tolerate nvidia.com/gpu:NoSchedule, or list the taint of your GPU node group (e.g. { key: 'nvidia.com/gpu', value: 'true' })");
    problems.check(Object.keys(s.gpuNodeLabels).length === 0, 'gpuNodeLabels', s.gpuNodeLabels, 'at least one node label when gpus is above 0 (node affinity to the GPU nodes)',
      "omit gpuNodeLabels for nvidia.com/gpu.present=true, or name the label your GPU node group sets (e.g. { workload: 'gpu' })");
  } else {
    problems.check(props.gpuTaints !== undefined || props.gpuNodeLabels !== undefined, props.gpuTaints !== undefined ? 'gpuTaints' : 'gpuNodeLabels',
      props.gpuTaints ?? props.gpuNodeLabels, 'GPU scheduling only with gpus above 0 (otherwise a CPU pod would occupy a GPU node)',
      'set gpus to the GPUs a pod needs, or remove gpuTaints and gpuNodeLabels');
  }
  problems.check(!Number.isInteger(s.user) || s.user < 1 || s.user > 2147483647, 'user', s.user,
    'a numeric user id from 1 to 2147483647: 0 is root, which Pod Security Standards restricted refuses',
    'run as the non-root user the image declares (USER in the Dockerfile), e.g. 65532');
  checkInteger(problems, 'group', s.group, 0, 2147483647, 'use the group the image declares, e.g. 65532');
  for (const [prop, probePath] of [['readinessPath', s.readinessPath], ['livenessPath', s.livenessPath], ['metricsPath', s.metricsPath]] as const) {
    problems.check(!probePath.startsWith('/'), prop, probePath, 'an absolute HTTP path', `start it with '/', e.g. '/${probePath}'`);
  }
  checkMinDuration(problems, 'startupTimeout', s.startupTimeout, 10, 'at least 10 seconds', 'allow the time the server needs to load the model, e.g. Duration.minutes(10)');
  s.scratchPaths.forEach((p, i) => problems.check(!p.startsWith('/'), `scratchPaths[${i}]`, p, 'an absolute directory path', `start it with '/', e.g. '/${p}'`));
  checkInteger(problems, 'maxUnavailable', s.maxUnavailable, 1, Math.max(1, s.replicas), 'allow at least 1 so node drains can proceed');
  problems.throwIfAny();
  return s;
}
