import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { MERGED_METRICS_PORT } from './private/prometheus';
import { checkDnsLabel, checkInteger } from './private/validation';

/** The namespace's resource quota. */
export interface NamespaceQuota {
  /**
   * Total CPU cores all pods may request.
   * @default 32
   */
  readonly requestsCpu?: number;
  /**
   * Total CPU cores all pods may be limited to.
   * @default 64
   */
  readonly limitsCpu?: number;
  /**
   * Total memory all pods may request, and be limited to.
   * @default Size.gibibytes(256)
   */
  readonly memory?: Size;
  /**
   * Total `nvidia.com/gpu` all pods may request. Leave room for the canary pods next to the stable ones.
   * @default 8
   */
  readonly gpus?: number;
  /**
   * Number of pods.
   * @default 50
   */
  readonly pods?: number;
}

/** Requests and limits given to containers that set none (LimitRange). */
export interface ContainerDefaults {
  /** @default kplus.Cpu.millis(250) */
  readonly cpuRequest?: kplus.Cpu;
  /** @default kplus.Cpu.units(1) */
  readonly cpuLimit?: kplus.Cpu;
  /** @default Size.mebibytes(256) */
  readonly memoryRequest?: Size;
  /** @default Size.gibibytes(1) */
  readonly memoryLimit?: Size;
}

/** Settings of a namespace baseline that do not name it (shared with `ModelServingChart`). */
export interface NamespaceBaselineOptions {
  /**
   * The Pod Security Standards version the admission labels pin (`v1.34`), or `latest`.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * The Istio revision whose sidecars are injected (label `istio.io/rev`).
   * @default - the default revision (label `istio-injection: enabled`)
   */
  readonly istioRevision?: string;
  /**
   * The namespace of the cluster DNS pods (label `k8s-app: kube-dns`).
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;
  /**
   * The namespace of istiod (label `app: istiod`), which sidecars reach on port 15012.
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * The namespace of Prometheus (label `app.kubernetes.io/name: prometheus`), which scrapes the merged metrics
   * on port 15020.
   * @default 'monitoring'
   */
  readonly prometheusNamespace?: string;
  /**
   * The resource quota; a field left out keeps its default.
   * @default - 32 CPU requested, 64 CPU limited, 256 GiB memory, 8 GPUs, 50 pods
   */
  readonly quota?: NamespaceQuota;
  /**
   * Requests and limits of containers that set none; a field left out keeps its default.
   * @default - cpu 250m / 1, memory 256 MiB / 1 GiB
   */
  readonly containerDefaults?: ContainerDefaults;
}

/** Properties of a `NamespaceBaseline`. */
export interface NamespaceBaselineProps extends NamespaceBaselineOptions {
  /** The namespace's name. */
  readonly name: string;
}

const PSS_LABEL = 'pod-security.kubernetes.io';
const PSS_VERSION = /^(latest|v1\.[0-9]{1,2})$/;
/** The port sidecars fetch configuration and certificates from istiod on. */
const ISTIOD_PORT = 15012;

/**
 * A namespace for model serving that denies by default.
 *
 * Under the hood: the namespace, labelled for Pod Security Admission (`enforce`, `audit` and `warn`: restricted,
 * pinned to `podSecurityVersion`) and Istio sidecar injection; a NetworkPolicy `default-deny` selecting every pod
 * for ingress and egress without rules; allow policies for egress to the cluster DNS (UDP and TCP 53), egress to
 * istiod (TCP 15012) and ingress from Prometheus to the merged metrics port (TCP 15020); an Istio
 * AuthorizationPolicy `allow-nothing` (empty spec: no request is allowed until an ALLOW policy names its
 * caller); a ResourceQuota `quota` (CPU, memory, `nvidia.com/gpu`, pods); and a LimitRange `container-defaults`.
 *
 * Restricted pods cannot run the `istio-init` container (it needs NET_ADMIN and NET_RAW): install Istio with
 * the CNI node agent.
 */
export class NamespaceBaseline extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The namespace. */
  public readonly namespace: kplus.Namespace;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    validate(this.node.path, props);
    this.name = props.name;
    const version = props.podSecurityVersion ?? 'latest';
    const labels: { [key: string]: string } = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`${PSS_LABEL}/${mode}`] = 'restricted';
      labels[`${PSS_LABEL}/${mode}-version`] = version;
    }
    if (props.istioRevision !== undefined) labels['istio.io/rev'] = props.istioRevision;
    else labels['istio-injection'] = 'enabled';
    this.namespace = new kplus.Namespace(this, 'Resource', { metadata: { name: this.name, labels } });

    const metadata = (name: string) => ({ name, namespace: this.name });
    const everyPod = kplus.Pods.all(this, 'EveryPod');
    new kplus.NetworkPolicy(this, 'DefaultDeny', {
      metadata: metadata('default-deny'),
      selector: everyPod,
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    const podsIn = (id: string, namespace: string, podLabels: { [key: string]: string }) =>
      kplus.Pods.select(this, id, { labels: podLabels, namespaces: kplus.Namespaces.select(this, `${id}Namespace`, { names: [namespace] }) });

    const dns = new kplus.NetworkPolicy(this, 'AllowDns', { metadata: metadata('allow-dns'), selector: everyPod });
    dns.addEgressRule(podsIn('Dns', props.dnsNamespace ?? 'kube-system', { 'k8s-app': 'kube-dns' }), [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
    const istiod = new kplus.NetworkPolicy(this, 'AllowIstioControlPlane', { metadata: metadata('allow-istio-control-plane'), selector: everyPod });
    istiod.addEgressRule(podsIn('Istiod', props.istioNamespace ?? 'istio-system', { app: 'istiod' }), [kplus.NetworkPolicyPort.tcp(ISTIOD_PORT)]);
    const scrape = new kplus.NetworkPolicy(this, 'AllowPrometheusScrape', { metadata: metadata('allow-prometheus-scrape'), selector: everyPod });
    scrape.addIngressRule(podsIn('Prometheus', props.prometheusNamespace ?? 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }),
      [kplus.NetworkPolicyPort.tcp(MERGED_METRICS_PORT)]);

    new ApiObject(this, 'AllowNothing', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: metadata('allow-nothing'),
      spec: {},
    });

    const quota = props.quota ?? {};
    const memory = quantity((quota.memory ?? Size.gibibytes(256)).asString());
    new kplus.k8s.KubeResourceQuota(this, 'Quota', {
      metadata: metadata('quota'),
      spec: {
        hard: {
          'requests.cpu': quantity(String(quota.requestsCpu ?? 32)),
          'limits.cpu': quantity(String(quota.limitsCpu ?? 64)),
          'requests.memory': memory,
          'limits.memory': memory,
          'requests.nvidia.com/gpu': quantity(String(quota.gpus ?? 8)),
          'pods': quantity(String(quota.pods ?? 50)),
        },
      },
    });

    const defaults = props.containerDefaults ?? {};
    new kplus.k8s.KubeLimitRange(this, 'ContainerDefaults', {
      metadata: metadata('container-defaults'),
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: {
            cpu: quantity((defaults.cpuRequest ?? kplus.Cpu.millis(250)).amount),
            memory: quantity((defaults.memoryRequest ?? Size.mebibytes(256)).asString()),
          },
          default: {
            cpu: quantity((defaults.cpuLimit ?? kplus.Cpu.units(1)).amount),
            memory: quantity((defaults.memoryLimit ?? Size.gibibytes(1)).asString()),
          },
        }],
      },
    });
  }
}

const quantity = (value: string) => kplus.k8s.Quantity.fromString(value);

function validate(path: string, props: NamespaceBaselineProps): void {
  const problems = new ProblemCollector(path, 'NamespaceBaseline');
  checkDnsLabel(problems, 'name', props.name);
  for (const prop of ['dnsNamespace', 'istioNamespace', 'prometheusNamespace'] as const) {
    if (props[prop] !== undefined) checkDnsLabel(problems, prop, props[prop]!);
  }
  if (props.istioRevision !== undefined) checkDnsLabel(problems, 'istioRevision', props.istioRevision);
  const version = props.podSecurityVersion;
  problems.check(version !== undefined && !PSS_VERSION.test(version), 'podSecurityVersion', version, "'latest' or a Kubernetes minor version such as 'v1.34'",
    "pin the cluster's minor version, e.g. 'v1.34', or omit it for 'latest'");
  const quota = props.quota ?? {};
  for (const prop of ['requestsCpu', 'limitsCpu', 'gpus', 'pods'] as const) {
    if (quota[prop] !== undefined) checkInteger(problems, `quota.${prop}`, quota[prop]!, prop === 'gpus' ? 0 : 1, 100000, 'size the quota for the stable and the canary pods together');
  }
  problems.check((quota.requestsCpu ?? 32) > (quota.limitsCpu ?? 64), 'quota.limitsCpu', quota.limitsCpu ?? 64, `at least quota.requestsCpu (${quota.requestsCpu ?? 32})`,
    'raise limitsCpu or lower requestsCpu');
  problems.throwIfAny();
}
