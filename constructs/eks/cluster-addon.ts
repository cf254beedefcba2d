import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import type { PodSecurityLevel } from './pod-security-level';

/**
 * Something installed into a serving cluster (a Helm chart and the objects around it). Add-ons are plain objects,
 * composed by passing references to each other; the cluster binds each one once, in the order it receives them,
 * and an add-on that needs another binds it first through `cluster.addAddon`.
 */
export interface IClusterAddon {
  /** Creates the add-on's resources in the cluster. Called once per cluster by `IServingCluster.addAddon`. */
  bind(cluster: IServingCluster): void;
}

/** A namespace for an add-on, with the Pod Security Standard it enforces. */
export interface AddonNamespaceOptions {
  /** The namespace name. */
  readonly name: string;
  /** The profile the namespace enforces; `audit` and `warn` are always `restricted`, so deviations stay visible. */
  readonly podSecurity: PodSecurityLevel;
  /**
   * Why the namespace cannot enforce `restricted`; recorded as an acknowledgment of MLOPS-K8S-005 on the namespace
   * (annotation `regulated-mlops.io/acknowledgments`) and on the manifest resource.
   * @default - none: required unless `podSecurity` is RESTRICTED
   */
  readonly reason?: string;
  /**
   * Why the add-on's pods need connections that no NetworkPolicy applied here describes (webhooks called by the API
   * server, scrapes, host networking); recorded as an acknowledgment of MLOPS-K8S-004 on the namespace and on the
   * manifest resource, so the open namespace is in the report's ledger.
   * @default - none: the namespace gets a default-deny NetworkPolicy for ingress and egress, and the add-on applies the
   * policies its traffic needs
   */
  readonly openNetworkReason?: string;
}

/** What an add-on sees of the cluster it is bound to. */
export interface IServingCluster extends IConstruct {
  /** The EKS cluster. */
  readonly cluster: eks.ICluster;
  /** The Kubernetes minor version, `1.35`. */
  readonly kubernetesVersion: string;
  /** The key that encrypts node volumes and persistent volumes. */
  readonly volumeKey: kms.IKey;
  /** Binds an add-on (once: binding the same object again does nothing). */
  addAddon(addon: IClusterAddon): void;
  /** Creates a namespace with Pod Security Standard labels. */
  addNamespace(id: string, options: AddonNamespaceOptions): eks.KubernetesManifest;
  /** Installs a Helm chart once the system nodes are up. */
  addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart;
  /** Applies Kubernetes objects through CloudFormation. */
  addManifest(id: string, ...manifest: Record<string, any>[]): eks.KubernetesManifest;
  /**
   * Lets a principal use the volume key for EBS volumes (encrypt, decrypt, and create grants for AWS resources only)
   * through the key policy. Returns false when the key policy cannot be changed here (an imported key): its owner must
   * add the statement.
   */
  grantVolumeKeyUse(principal: iam.IPrincipal, sid: string): boolean;
}
