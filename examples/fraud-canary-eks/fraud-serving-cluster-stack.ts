import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ArgoRollouts, DcgmExporter, DEFAULT_INTERFACE_ENDPOINTS, IstioMesh, KubePrometheusStack, PrivateNetwork,
  SERVING_CLUSTER_INTERFACE_ENDPOINTS, ServingCluster,
} from '../../lib';

/** Properties of the fraud serving cluster stack. */
export interface FraudServingClusterStackProps extends StackProps {
  /** The model's chart (in a cdk8s `App`), applied to the cluster through CloudFormation. */
  readonly chart: Chart;
}

/**
 * A private EKS cluster for the fraud model: system nodes for the add-ons, a g5 GPU node group for the model, Istio
 * (STRICT mTLS), kube-prometheus-stack, Argo Rollouts and the NVIDIA DCGM exporter (GPU metrics), and the model's
 * chart applied once the add-ons that define its resource kinds are installed.
 */
export class FraudServingClusterStack extends Stack {
  public readonly cluster: ServingCluster;

  constructor(scope: Construct, id: string, props: FraudServingClusterStackProps) {
    super(scope, id, props);
    // No internet route: the nodes, the EBS CSI driver and the kubectl Lambda reach AWS through VPC endpoints.
    const network = new PrivateNetwork(this, 'Network', {
      interfaceEndpoints: [...DEFAULT_INTERFACE_ENDPOINTS, ...SERVING_CLUSTER_INTERFACE_ENDPOINTS],
    });
    const istio = new IstioMesh();
    const prometheus = new KubePrometheusStack({ retention: '90d' });
    const rollouts = new ArgoRollouts();
    this.cluster = new ServingCluster(this, 'Cluster', {
      vpc: network.vpc,
      adminRoles: [iam.Role.fromRoleName(this, 'PlatformAdmin', 'platform-admin')],
      auditorRoles: [iam.Role.fromRoleName(this, 'Auditor', 'model-risk-auditor')],
      // One NVIDIA A10G per g5.xlarge node and per pod: two stable pods, and up to two canary pods while a release
      // rolls out. Nothing here autoscales node groups, so the minimum is the capacity a release needs.
      gpuNodeGroups: {
        inference: { instanceTypes: [new ec2.InstanceType('g5.xlarge')], minSize: 4, maxSize: 6 },
      },
      addons: [istio, prometheus, rollouts, new DcgmExporter({ prometheus })],
    });

    // The chart's Rollout, AnalysisTemplate, VirtualService and PodMonitor are custom resources: their definitions
    // come with the add-ons' Helm charts, which must be installed first.
    const manifest = this.cluster.addCdk8sChart('FraudDetection', props.chart);
    manifest.node.addDependency(istio.istiod!, prometheus.chart!, rollouts.chart!);
  }
}
