import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { ApprovedModel } from '../../constructs/registry/approved-model';
import { ArgoRollouts } from '../../constructs/eks/addons/argo-rollouts';
import { DcgmExporter } from '../../constructs/eks/addons/dcgm-exporter';
import { IstioMesh } from '../../constructs/eks/addons/istio-mesh';
import { KubePrometheusStack } from '../../constructs/eks/addons/kube-prometheus-stack';
import { ServingCluster } from '../../constructs/eks/serving-cluster';
import { Caller } from '../../constructs/k8s/mesh-security';
import { ModelServingChart } from '../../constructs/k8s/model-serving-chart';
import { KeyRing } from '../../constructs/security/key-ring';
import { ProblemCollector } from '../core/errors';
import { checkDeployments } from './deployment-checks';
import { FoundationStack } from './foundation-stack';

/** How one model of the foundation's inventory is served on the cluster's GPU nodes. */
export interface KubernetesModelDeployment {
  /** The model's name, as registered in the foundation. */
  readonly model: string;
  /** The version released (labels, canary analysis). */
  readonly version: string;
  /**
   * The digest of the image in the foundation's repository (`sha256:` and 64 hex digits). The deployment fails unless
   * it is the image of the newest approved version of the model's registry.
   */
  readonly imageDigest: string;
  /**
   * GPUs per pod.
   * @default 1
   */
  readonly gpus?: number;
  /**
   * Pods of the stable version.
   * @default - the `ModelServer` default
   */
  readonly replicas?: number;
  /**
   * The service accounts allowed to call the model (mutual TLS identities).
   * @default - none: nothing may call the model until callers are named
   */
  readonly callers?: Caller[];
  /**
   * The namespace the model is served in.
   * @default - the model's name
   */
  readonly namespace?: string;
}

/** Properties of the EKS serving stack. */
export interface EksServingStackProps extends StackProps {
  /** The foundation (built with `servingClusterEndpoints: true`): network, images, model inventory. */
  readonly foundation: FoundationStack;
  /** The models to serve. */
  readonly deployments: KubernetesModelDeployment[];
  /**
   * Instance types of the GPU node group.
   * @default [g5.xlarge]
   */
  readonly gpuInstanceTypes?: ec2.InstanceType[];
  /**
   * Smallest number of GPU nodes.
   * @default 1
   */
  readonly gpuMinSize?: number;
  /**
   * Largest number of GPU nodes.
   * @default 4
   */
  readonly gpuMaxSize?: number;
  /**
   * ARNs of the roles given cluster admin through access entries (the platform team's). ARNs rather than roles
   * because the roles live outside this stack (`Aws.ACCOUNT_ID` and `Aws.PARTITION` tokens are fine).
   * @default - none: only the kubectl handler administers the cluster
   */
  readonly adminRoleArns?: string[];
  /**
   * ARNs of the roles given read-only access without Secrets (auditors, model risk).
   * @default - none
   */
  readonly auditorRoleArns?: string[];
  /**
   * How long Prometheus keeps metrics.
   * @default '30d'
   */
  readonly metricsRetention?: string;
}

/**
 * EKS serving for the foundation's models: a private cluster with a GPU node group, the Istio mesh, Prometheus, Argo
 * Rollouts and the GPU exporter, and per model a `ModelServingChart` (namespace baseline, model server released 10%
 * first with automatic rollback on error ratio, latency and drift, mesh security, alerts), applied once the add-ons
 * that define its custom resources are installed and once an `ApprovedModel` gate has confirmed, at deploy time, that
 * the pinned image is the one of the newest approved version in the registry.
 */
export class EksServingStack extends Stack {
  public readonly cluster: ServingCluster;
  /** The charts, by model name (their objects can also be written as plain manifests for GitOps). */
  public readonly charts: { readonly [model: string]: ModelServingChart };

  constructor(scope: Construct, id: string, props: EksServingStackProps) {
    super(scope, id, props);
    const problems = new ProblemCollector(this.node.path, 'EksServingStack');
    checkDeployments(problems, props.deployments.map((d) => d.model), 'its chart');
    problems.throwIfAny();

    const { foundation } = props;
    // The cluster's own keys: their policies name the cluster's roles, which would make the foundation depend on this stack.
    const keys = new KeyRing(this, 'Keys');
    const prometheus = new KubePrometheusStack({ retention: props.metricsRetention ?? '30d' });
    this.cluster = new ServingCluster(this, 'Cluster', {
      vpc: foundation.network.vpc,
      vpcSubnets: foundation.network.isolatedSubnets,
      keys,
      adminRoles: (props.adminRoleArns ?? []).map((arn, i) => iam.Role.fromRoleArn(this, `Admin${i}`, arn)),
      auditorRoles: (props.auditorRoleArns ?? []).map((arn, i) => iam.Role.fromRoleArn(this, `Auditor${i}`, arn)),
      gpuNodeGroups: {
        inference: { instanceTypes: props.gpuInstanceTypes ?? [new ec2.InstanceType('g5.xlarge')], minSize: props.gpuMinSize ?? 1, maxSize: props.gpuMaxSize ?? 4 },
      },
      addons: [new IstioMesh(), prometheus, new ArgoRollouts(), new DcgmExporter({ prometheus })],
    });
    // The charts' Rollouts, VirtualServices and ServiceMonitors need the add-ons' custom resource definitions.
    const addonCharts = this.cluster.node.findAll().filter((c): c is eks.HelmChart => c instanceof eks.HelmChart);

    const manifests = new cdk8s.App();
    const charts: { [model: string]: ModelServingChart } = {};
    for (const d of props.deployments) {
      const { registry } = foundation.registration(d.model);
      // The chart pins its image at synth; this gate fails the deployment unless that image is the approved version's.
      const approved = new ApprovedModel(this, `${d.model}-approved`, {
        registry, requiredImageDigest: d.imageDigest, vpc: foundation.network.vpc, vpcSubnets: foundation.network.isolatedSubnets, keys,
      });
      const chart = new ModelServingChart(manifests, d.model, {
        namespace: d.namespace ?? d.model,
        model: d.model,
        version: d.version,
        image: foundation.images.imageUri(d.imageDigest),
        gpus: d.gpus ?? 1,
        replicas: d.replicas,
        mesh: { callers: d.callers },
        // Pinned like the add-on namespaces, so an upgrade of the cluster is a reviewed change of the admission labels.
        namespaceOptions: { podSecurityVersion: `v${this.cluster.kubernetesVersion}` },
      });
      const manifest = this.cluster.addCdk8sChart(d.model, chart);
      for (const addon of addonCharts) manifest.node.addDependency(addon);
      manifest.node.addDependency(approved);
      charts[d.model] = chart;
    }
    this.charts = charts;
  }
}
