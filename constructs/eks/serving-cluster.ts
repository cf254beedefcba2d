import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Annotations, Aws, CfnElement, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { acknowledge, acknowledgeAutomatically, AcknowledgmentOptions } from '../../lib/policy/acknowledgments';
import { K8S_ACKNOWLEDGMENTS_ANNOTATION } from '../../lib/policy/document';
import { eksSupportStatus } from '../../lib/policy/rules/aws/eks/kubernetes-versions';
import { IKeyRing, KeyPurpose, KeyRing } from '../security/key-ring';
import { VOLUME_KEY_ACTIONS } from './addons/ebs-csi-driver';
import { NvidiaDevicePlugin } from './addons/nvidia-device-plugin';
import type { AddonNamespaceOptions, IClusterAddon, IServingCluster } from './cluster-addon';
import { NODE_SCHEDULING } from './node-scheduling';
import { PodSecurityLevel } from './pod-security-level';
import { checkNodeGroup, GpuNodeGroupOptions, NodeGroupKind, NodeGroupOptions, resolveNodeGroup, ServingNodeGroup } from './serving-node-group';

/** The Kubernetes version a new cluster runs: in EKS standard support until 2027-03-27. */
export const DEFAULT_KUBERNETES_VERSION = eks.KubernetesVersion.V1_35;
/** The one Kubernetes version whose kubectl layer is a dependency of this library. */
const BUNDLED_KUBECTL_VERSION = '1.35';

/**
 * Interface endpoints nodes, the EBS CSI driver and the kubectl Lambda need in a VPC without internet egress, on
 * top of `DEFAULT_INTERFACE_ENDPOINTS` (ECR, STS, CloudWatch Logs, KMS) and the S3 gateway endpoint: pass both lists
 * to `PrivateNetwork`'s `interfaceEndpoints`.
 */
export const SERVING_CLUSTER_INTERFACE_ENDPOINTS: readonly string[] = ['ec2', 'eks', 'eks-auth', 'elasticloadbalancing', 'lambda'];

const ALL_LOG_TYPES = [
  eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
];
/**
 * Context key fixing the date Kubernetes versions are judged on (`YYYY-MM-DD`), for repeatable synths and tests.
 * Without it, the current date.
 */
export const SYNTH_DATE_CONTEXT = 'regulated-mlops:synthDate';
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Properties of a `ServingCluster`. */
export interface ServingClusterProps {
  /** The VPC (a `PrivateNetwork`'s `vpc`). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the control-plane interfaces, the nodes and the kubectl Lambda. Public subnets are refused.
   * @default - the VPC's isolated subnets (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Kubernetes version. One past EKS extended support on the synth date (today, or the context value
   * `SYNTH_DATE_CONTEXT`) is refused; one in extended support gets a warning.
   * @default DEFAULT_KUBERNETES_VERSION (1.35)
   */
  readonly version?: eks.KubernetesVersion;
  /**
   * Cluster name (also names the control-plane log group `/aws/eks/<name>/cluster`). Changing it replaces the cluster.
   * @default - derived from the construct path, deterministic
   */
  readonly clusterName?: string;
  /**
   * Who can reach the Kubernetes API. `PUBLIC` and `PUBLIC_AND_PRIVATE` need `publicEndpointAcknowledgment`.
   * @default eks.EndpointAccess.PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;
  /**
   * The approved exception for a public API endpoint (recorded against MLOPS-EKS-001 and cdk-nag AwsSolutions-EKS1).
   * @default - none: a public endpoint is refused
   */
  readonly publicEndpointAcknowledgment?: AcknowledgmentOptions;
  /**
   * Where the keys come from: DATA for Secrets and volumes, LOGS for the control-plane logs.
   * @default - a `KeyRing` created for this cluster (only for the keys not passed below)
   */
  readonly keys?: IKeyRing;
  /**
   * Envelope-encrypts Kubernetes Secrets. Its policy must let EKS use it and create grants (`kms:ViaService` eks).
   * @default - the DATA key of `keys`
   */
  readonly secretsKey?: kms.IKey;
  /**
   * Encrypts node volumes and persistent volumes. A key of this stack gets key-policy statements for the Auto
   * Scaling service-linked role and the EBS CSI driver; an imported key's owner must add them (see the README).
   * @default - the DATA key of `keys`
   */
  readonly volumeKey?: kms.IKey;
  /**
   * Encrypts the control-plane and kubectl Lambda log groups. Its policy must let CloudWatch Logs use it.
   * @default - the LOGS key of `keys`
   */
  readonly logKey?: kms.IKey;
  /**
   * How long control-plane logs are kept: at least a year, never INFINITE.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Roles that administer the cluster (access entry with AmazonEKSClusterAdminPolicy, cluster scope).
   * @default - none: only the kubectl Lambda's role (when there is one) administers the cluster
   */
  readonly adminRoles?: iam.IRole[];
  /**
   * Roles that read the cluster (access entry with AmazonEKSViewPolicy, cluster scope: no Secrets).
   * @default - none
   */
  readonly auditorRoles?: iam.IRole[];
  /**
   * The system node group (add-ons, Istio, monitoring).
   * @default - 2 to 4 m6i.large Bottlerocket nodes with a 50 GiB data volume
   */
  readonly systemNodeGroup?: NodeGroupOptions;
  /**
   * GPU node groups by name (the name is the `regulated-mlops.io/gpu-node-group` label value).
   * @default - none; add them with `addGpuNodeGroup`
   */
  readonly gpuNodeGroups?: { [name: string]: GpuNodeGroupOptions };
  /**
   * Add-ons to install, bound in this order.
   * @default - none
   */
  readonly addons?: IClusterAddon[];
  /**
   * Create the kubectl Lambda that applies Helm charts and manifests through CloudFormation. Without it the cluster
   * takes no add-ons, charts or manifests (a GitOps controller applies them instead).
   * @default - true when `addons` are given or a GPU node group needs the NVIDIA device plugin
   */
  readonly kubectl?: boolean;
  /**
   * The kubectl and Helm layer of the cluster's Kubernetes version.
   * @default - KubectlV35Layer for Kubernetes 1.35; required for other versions
   */
  readonly kubectlLayer?: lambda.ILayerVersion;
  /**
   * Turn on NetworkPolicy enforcement in the VPC CNI (managed add-on `vpc-cni` with `enableNetworkPolicy`), so the
   * default-deny NetworkPolicies of workload namespaces take effect.
   * @default true
   */
  readonly networkPolicies?: boolean;
}

/**
 * An EKS cluster for serving models on GPUs, built on `aws-eks-v2` (a native `AWS::EKS::Cluster`, access entries
 * instead of aws-auth):
 * - private API endpoint only, in the VPC's isolated subnets; Secrets envelope-encrypted with the DATA key; all five
 *   control-plane log types into a log group encrypted with the LOGS key and kept a year;
 * - access by access entries only: named admin and auditor roles, no implicit admin for the deploying principal;
 *   the kubectl Lambda's role is the only other administrator, and exists only when add-ons or charts are applied
 *   through CloudFormation;
 * - a system node group and GPU node groups from launch templates that require IMDSv2 with a hop limit of 1 and
 *   encrypt every volume with the volume key; GPU nodes carry the `nvidia.com/gpu` taint and the
 *   `NODE_SCHEDULING` labels.
 *
 * @example
 * const network = new PrivateNetwork(this, 'Network', { interfaceEndpoints: [...DEFAULT_INTERFACE_ENDPOINTS, ...SERVING_CLUSTER_INTERFACE_ENDPOINTS] });
 * const prometheus = new KubePrometheusStack();
 * new ServingCluster(this, 'Cluster', {
 *   vpc: network.vpc,
 *   gpuNodeGroups: { inference: { instanceTypes: [new ec2.InstanceType('g5.xlarge')], maxSize: 4 } },
 *   addons: [new IstioMesh(), prometheus, new ArgoRollouts(), new DcgmExporter({ prometheus })],
 * });
 */
export class ServingCluster extends Construct implements IServingCluster {
  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The cluster name. */
  public readonly clusterName: string;
  /** The Kubernetes minor version, `1.35`. */
  public readonly kubernetesVersion: string;
  /** The key of Kubernetes Secrets. */
  public readonly secretsKey: kms.IKey;
  /** The key of node and persistent volumes. */
  public readonly volumeKey: kms.IKey;
  /** The control-plane log group. */
  public readonly logGroup: logs.LogGroup;
  /** The role of every node. */
  public readonly nodeRole: iam.Role;
  /** The system node group. */
  public readonly systemNodeGroup: ServingNodeGroup;

  private readonly subnets: ec2.SubnetSelection;
  private readonly nodePolicy: iam.ManagedPolicy;
  private readonly logKey: kms.IKey;
  private readonly logRetention: logs.RetentionDays;
  private readonly kubectlEnabled: boolean;
  private readonly gpuGroups = new Map<string, ServingNodeGroup>();
  private readonly bound = new Set<IClusterAddon>();
  private devicePlugin?: NvidiaDevicePlugin;

  constructor(scope: Construct, id: string, props: ServingClusterProps) {
    super(scope, id);
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    const gpuGroups = Object.entries(props.gpuNodeGroups ?? {});
    const needsDevicePlugin = gpuGroups.some(([, options]) => resolveNodeGroup(NodeGroupKind.GPU, options).ami.needsDevicePlugin);
    this.kubectlEnabled = props.kubectl ?? ((props.addons ?? []).length > 0 || needsDevicePlugin);
    const today = String(this.node.tryGetContext(SYNTH_DATE_CONTEXT) ?? new Date().toISOString().slice(0, 10));
    validate(this.node.path, props, version, today, this.kubectlEnabled, needsDevicePlugin);

    this.kubernetesVersion = version.version;
    const support = eksSupportStatus(version.version, today);
    if (support.phase === 'extended') {
      Annotations.of(this).addWarningV2('regulated-mlops:eks-extended-support',
        `Kubernetes ${version.version} is in EKS extended support (standard support ended ${support.support.endOfStandardSupport}): it costs extra per cluster hour and EKS upgrades the cluster after ${support.support.endOfExtendedSupport}; plan the upgrade to ${DEFAULT_KUBERNETES_VERSION.version} or later`);
    }
    this.subnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    let keyRing: IKeyRing | undefined = props.keys;
    const keyFor = (purpose: KeyPurpose) => (keyRing ??= new KeyRing(this, 'Keys')).key(purpose);
    this.secretsKey = props.secretsKey ?? keyFor(KeyPurpose.DATA);
    this.volumeKey = props.volumeKey ?? keyFor(KeyPurpose.DATA);
    this.logKey = props.logKey ?? keyFor(KeyPurpose.LOGS);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.clusterName = props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });

    // EKS writes into /aws/eks/<name>/cluster; created first, it is ours: encrypted, kept, retained.
    this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
      logGroupName: `/aws/eks/${this.clusterName}/cluster`,
      encryptionKey: this.logKey,
      retention: this.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const kubectl = this.kubectlEnabled ? this.createKubectlRole() : undefined;
    const endpointAccess = props.endpointAccess ?? eks.EndpointAccess.PRIVATE;
    this.cluster = new eks.Cluster(this, 'Resource', {
      clusterName: this.clusterName,
      version,
      vpc: props.vpc,
      vpcSubnets: [this.subnets],
      endpointAccess,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: ALL_LOG_TYPES,
      // No Auto Mode and no default capacity: the node groups below are the only nodes.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // The CloudFormation execution role would otherwise be a cluster admin no access entry shows.
      bootstrapClusterCreatorAdminPermissions: false,
      outputConfigCommand: false,
      // An immutable view of our role: CDK would otherwise attach AWS managed policies to it.
      kubectlProviderOptions: kubectl
        ? { kubectlLayer: props.kubectlLayer ?? new KubectlV35Layer(this, 'KubectlLayer'), role: kubectl.role.withoutPolicyUpdates() }
        : undefined,
    });
    const cfnCluster = this.cluster.node.defaultChild as eks.CfnCluster;
    cfnCluster.node.addDependency(this.logGroup);
    Validations.of(cfnCluster).acknowledge({
      id: 'CloudFormation-Validate::W9009',
      reason: 'The CloudFormation schema marks EncryptionConfig.Resources deprecated, yet [secrets] is how EKS is told to envelope-encrypt Secrets and how aws-eks-v2 renders it',
    });

    if (isPublic(endpointAccess)) {
      const ack = props.publicEndpointAcknowledgment!;
      acknowledge(cfnCluster, 'MLOPS-EKS-001', ack);
      Validations.of(cfnCluster).acknowledge({ id: 'AwsSolutions-EKS1', reason: `${ack.reason} (approved by ${ack.approvedBy}, until ${ack.expires})` });
    }
    Validations.of(this.cluster.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]',
      reason: 'The EKS cluster service role, assumed only by eks.amazonaws.com, carries AmazonEKSClusterPolicy, the policy EKS documents as required; AWS revises it as the control plane changes (v10 in 2026), so a hand-copied policy would drift and break the control plane',
    });
    this.grantAccess(props.adminRoles ?? [], 'Admin', 'AmazonEKSClusterAdminPolicy');
    this.grantAccess(props.auditorRoles ?? [], 'Auditor', 'AmazonEKSViewPolicy');
    if (kubectl) this.hardenKubectlProvider(kubectl.policy, kubectl.logGroup);

    [this.nodeRole, this.nodePolicy] = this.createNodeRole();
    this.allowAutoScalingToUseVolumeKey();
    this.systemNodeGroup = new ServingNodeGroup(this, 'SystemNodeGroup', {
      ...props.systemNodeGroup,
      kind: NodeGroupKind.SYSTEM,
      cluster: this.cluster,
      nodeRole: this.nodeRole,
      subnets: this.subnets,
      volumeKey: this.volumeKey,
      schedulingLabels: { [NODE_SCHEDULING.roleLabel]: 'system' },
    });
    this.systemNodeGroup.nodegroup.node.addDependency(this.nodePolicy);
    // A device plugin among the add-ons is the one AL2023 GPU groups bring, not a second one.
    this.devicePlugin = props.addons?.find((addon): addon is NvidiaDevicePlugin => addon instanceof NvidiaDevicePlugin);
    for (const [name, options] of gpuGroups) this.addGpuNodeGroup(name, options);
    if (props.networkPolicies ?? true) this.enforceNetworkPolicies();
    for (const addon of props.addons ?? []) this.addAddon(addon);
  }

  /**
   * Adds a GPU node group: NVIDIA instance types, tainted `nvidia.com/gpu=true:NoSchedule`, labelled
   * `regulated-mlops.io/node-role: gpu`, `regulated-mlops.io/gpu-node-group: <name>` and `nvidia.com/gpu.present: true`.
   * An Amazon Linux 2023 NVIDIA group brings the NVIDIA device plugin.
   */
  public addGpuNodeGroup(name: string, options: GpuNodeGroupOptions): ServingNodeGroup {
    const problems = new ProblemCollector(this.node.path, 'ServingCluster');
    checkGpuNodeGroup(problems, name, options, this.kubectlEnabled);
    problems.check(this.gpuGroups.has(name), `gpuNodeGroups.${name}`, name, 'a name not used by another GPU node group', 'pick another name');
    problems.throwIfAny();
    const group = new ServingNodeGroup(this, `GpuNodeGroup${pascal(name)}`, {
      ...options,
      kind: NodeGroupKind.GPU,
      cluster: this.cluster,
      nodeRole: this.nodeRole,
      subnets: this.subnets,
      volumeKey: this.volumeKey,
      schedulingLabels: {
        [NODE_SCHEDULING.roleLabel]: 'gpu',
        [NODE_SCHEDULING.gpuNodeGroupLabel]: name,
        [NODE_SCHEDULING.gpuPresentLabel]: 'true',
      },
      taints: [{ key: NODE_SCHEDULING.gpuTaint.key, value: NODE_SCHEDULING.gpuTaint.value, effect: eks.TaintEffect.NO_SCHEDULE }],
    });
    group.nodegroup.node.addDependency(this.nodePolicy);
    this.gpuGroups.set(name, group);
    if (group.amiType.needsDevicePlugin) this.addAddon(this.devicePlugin ??= new NvidiaDevicePlugin());
    return group;
  }

  /** The GPU node group of that name. */
  public gpuNodeGroup(name: string): ServingNodeGroup | undefined {
    return this.gpuGroups.get(name);
  }

  public addAddon(addon: IClusterAddon): void {
    if (this.bound.has(addon)) return;
    this.requireKubectl('addons');
    this.bound.add(addon);
    if (addon instanceof NvidiaDevicePlugin) this.devicePlugin ??= addon;
    addon.bind(this);
  }

  public addNamespace(id: string, options: AddonNamespaceOptions): eks.KubernetesManifest {
    const level = options.podSecurity;
    const problems = new ProblemCollector(`${this.node.path}/${id}`, 'namespace');
    problems.check(level !== PodSecurityLevel.RESTRICTED && !options.reason, 'reason', options.reason, `a reason why ${options.name} cannot enforce restricted`, 'say which pods need what (host access, capabilities), or use PodSecurityLevel.RESTRICTED');
    problems.throwIfAny();
    const pss = 'pod-security.kubernetes.io';
    const k8sVersion = `v${this.kubernetesVersion}`;
    const labels = {
      [`${pss}/enforce`]: level, [`${pss}/enforce-version`]: k8sVersion,
      [`${pss}/audit`]: PodSecurityLevel.RESTRICTED, [`${pss}/audit-version`]: k8sVersion,
      [`${pss}/warn`]: PodSecurityLevel.RESTRICTED, [`${pss}/warn-version`]: k8sVersion,
    };
    const scope = `${this.node.path}/${id}`;
    const exceptions: [string, string][] = [];
    if (level !== PodSecurityLevel.RESTRICTED) exceptions.push(['MLOPS-K8S-005', options.reason!]);
    if (options.openNetworkReason) exceptions.push(['MLOPS-K8S-004', options.openNetworkReason]);
    // The acknowledgments travel with the namespace, so `regulated-mlops check` on the live object honours them.
    const annotations = exceptions.length === 0 ? undefined : {
      [K8S_ACKNOWLEDGMENTS_ANNOTATION]: JSON.stringify(exceptions.map(([ruleId, reason]) => ({
        ruleId, reason, approvedBy: 'regulated-mlops (automatic)', expires: '9999-12-31', scope, automatic: true,
      }))),
    };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.name, labels, ...(annotations ? { annotations } : {}) } };
    const denyAll = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: options.name },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    };
    const manifest = options.openNetworkReason ? this.addManifest(id, namespace) : this.addManifest(id, namespace, denyAll);
    for (const [ruleId, reason] of exceptions) acknowledgeAutomatically(manifest, ruleId, reason);
    return manifest;
  }

  public addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart {
    this.requireKubectl('Helm charts');
    const chart = this.cluster.addHelmChart(id, options);
    // Chart hooks (jobs) need nodes to run on: install once the system nodes have joined.
    chart.node.addDependency(this.systemNodeGroup.nodegroup);
    return chart;
  }

  public addManifest(id: string, ...manifest: Record<string, any>[]): eks.KubernetesManifest {
    this.requireKubectl('manifests');
    return this.cluster.addManifest(id, ...manifest);
  }

  /**
   * Applies a cdk8s chart through CloudFormation. The chart must belong to a `cdk8s.App`, not to this stack; its
   * objects are evaluated by the Kubernetes rules in the template's custom resource.
   */
  public addCdk8sChart(id: string, chart: Construct, options?: eks.KubernetesManifestOptions): eks.KubernetesManifest {
    this.requireKubectl('cdk8s charts');
    return this.cluster.addCdk8sChart(id, chart, options);
  }

  public grantVolumeKeyUse(principal: iam.IPrincipal, sid: string): boolean {
    const use = this.volumeKey.addToResourcePolicy(new iam.PolicyStatement({
      sid, principals: [principal], resources: ['*'],
      actions: VOLUME_KEY_ACTIONS,
    }));
    this.volumeKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: `${sid}Grants`, principals: [principal], resources: ['*'],
      actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
    return use.statementAdded;
  }

  private requireKubectl(what: string): void {
    if (this.kubectlEnabled) return;
    const problems = new ProblemCollector(this.node.path, 'ServingCluster');
    problems.add('kubectl', false, `true to apply ${what} through CloudFormation`, 'set kubectl: true (a kubectl Lambda in the VPC applies them), or apply them with a GitOps controller');
    problems.throwIfAny();
  }

  private grantAccess(roles: iam.IRole[], kind: string, policy: string): void {
    for (const role of roles) {
      this.cluster.grantAccess(`${kind}Access${Names.nodeUniqueId(role.node)}`, role.roleArn, [
        eks.AccessPolicy.fromAccessPolicyName(policy, { accessScopeType: eks.AccessScopeType.CLUSTER }),
      ]);
    }
  }

  /**
   * The role of the kubectl Lambda: eks:DescribeCluster on this cluster, network interfaces in the VPC, its own log
   * group, and pulls from this account's ECR (charts mirrored as OCI artifacts). It is the cluster administrator
   * aws-eks-v2 needs to apply charts and manifests (an access entry with AmazonEKSClusterAdminPolicy).
   */
  private createKubectlRole(): { role: iam.Role; policy: iam.ManagedPolicy; logGroup: logs.LogGroup } {
    const logGroup = new logs.LogGroup(this, 'KubectlLogs', { encryptionKey: this.logKey, retention: this.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(this, 'KubectlRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `kubectl and Helm for the EKS cluster ${this.node.path}, during deployments`,
    });
    const clusterArn = `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${this.clusterName}`;
    const policy = new iam.ManagedPolicy(this, 'KubectlPolicy', {
      description: `kubectl Lambda of ${this.node.path}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({ sid: 'ReadThisCluster', actions: ['eks:DescribeCluster'], resources: [clusterArn] }),
        new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
        new iam.PolicyStatement({
          sid: 'NetworkInterfacesInTheVpc',
          actions: [
            'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ sid: 'RegistryLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullMirroredCharts',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*`],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'kubectl Lambda policy: the VPC network-interface actions Lambda needs and ecr:GetAuthorizationToken support no resource-level permissions',
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*]',
      reason: 'kubectl Lambda policy: pulls (no pushes) of Helm charts mirrored as OCI artifacts, from this account\'s ECR repositories in this region only',
    });
    return { role, policy, logGroup };
  }

  /**
   * The kubectl Lambda and its custom-resource framework are aws-eks-v2's own: both log to a log group of ours (KMS,
   * retention), the handler is created after its role's policy (Lambda checks the VPC permissions at creation), and
   * cdk-nag's findings on the framework, which CDK gives no way to configure, are acknowledged with their reasons.
   */
  private hardenKubectlProvider(policy: iam.ManagedPolicy, logGroup: logs.LogGroup): void {
    const provider = this.cluster.node.findChild('KubectlProvider');
    Annotations.of(this.cluster).acknowledgeWarning(
      '@aws-cdk/aws-eks:isolatedSubnetsForKubectlPrivateSubnets',
      'Isolated subnets by design; SERVING_CLUSTER_INTERFACE_ENDPOINTS lists the endpoints the kubectl Lambda and the nodes need',
    );
    const handler = provider.node.findChild('Handler') as lambda.Function;
    handler.node.addDependency(policy);
    // KubectlProvider adds a partition condition for an ECR Public managed policy to the role's scope (this one);
    // our immutable role takes no managed policy, so the condition would be left unused in the template.
    this.node.tryRemoveChild('HasEcrPublic');
    for (const fn of provider.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function)) {
      (fn.node.defaultChild as lambda.CfnFunction).loggingConfig = { logGroup: logGroup.logGroupName };
    }
    const handlerId = Stack.of(this).getLogicalId(handler.node.defaultChild as CfnElement);
    const framework = provider.node.findChild('Provider');
    const sync = 'invoked synchronously (CloudFormation custom resource -> Provider framework -> kubectl handler), which returns failures to CloudFormation: a dead-letter queue would never receive anything';
    const unreserved = 'aws-eks-v2 creates it without reserved concurrency; it runs only during deployments, once per Kubernetes resource of the template, and a reservation low enough to matter would throttle parallel chart installs';
    const nag = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });
    nag(handler, 'AwsSolutions-L1', 'aws-eks-v2 kubectl handler: aws-cdk-lib picks its Python runtime and bundles its code; it moves with aws-cdk-lib upgrades');
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5']) {
      nag(provider, `${pack}-LambdaDLQ`, `aws-eks-v2 kubectl handler and Provider framework function: ${sync}`);
      nag(provider, `${pack}-LambdaConcurrency`, `aws-eks-v2 kubectl handler and Provider framework function: ${unreserved}`);
    }
    for (const managed of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) {
      nag(framework, `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${managed}]`,
        `Custom-resource Provider framework of aws-eks-v2 (AWS code): CDK attaches ${managed} to its role and offers no way to replace it`);
    }
    nag(framework, `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`, 'Custom-resource Provider framework of aws-eks-v2: lambda:InvokeFunction on the kubectl handler and its versions only');
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) {
      nag(framework, `${pack}-IAMNoInlinePolicy`, 'Custom-resource Provider framework of aws-eks-v2: CDK writes its lambda:InvokeFunction permission as the role\'s inline default policy');
    }
  }

  /** The node role and its policy (nodes join only once the policy is attached). */
  private createNodeRole(): [iam.Role, iam.ManagedPolicy] {
    const role = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `Nodes of the EKS cluster ${this.node.path}`,
    });
    const clusterArn = this.cluster.clusterArn;
    const policy = new iam.ManagedPolicy(this, 'NodePolicy', {
      description: `Kubelet, VPC CNI and image pulls of the nodes of ${this.node.path}`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeNetworkAndInstances',
          actions: [
            'ec2:DescribeInstances', 'ec2:DescribeInstanceTypes', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets', 'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications', 'ec2:DescribeVpcs',
            'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ sid: 'JoinThisCluster', actions: ['eks:DescribeCluster'], resources: [clusterArn] }),
        new iam.PolicyStatement({ sid: 'PodIdentityOfThisCluster', actions: ['eks-auth:AssumeRoleForPodIdentity'], resources: [clusterArn] }),
        new iam.PolicyStatement({
          sid: 'PodNetworkInterfaces',
          actions: [
            'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface',
            'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'TagPodNetworkInterfaces',
          actions: ['ec2:CreateTags'],
          resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`],
        }),
        new iam.PolicyStatement({ sid: 'RegistryLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
        new iam.PolicyStatement({
          sid: 'PullImages',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          // Any account's repositories in this region: EKS's own add-on images live in AWS accounts; the
          // repository policies decide who may pull.
          resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:*:repository/*`],
        }),
      ],
    });
    const nodeNag: Record<string, string> = {
      'AwsSolutions-IAM5[Resource::*]': 'Node policy: the ec2:Describe* calls of the kubelet and VPC CNI, the CNI\'s network-interface actions and ecr:GetAuthorizationToken support no resource-level permissions',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]': 'Node policy: the VPC CNI tags the pod network interfaces it creates, whose ids are not known in advance; limited to this account and region',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:*:repository/*]': 'Node policy: image pulls (no pushes) from ECR repositories of this region; EKS\'s own add-on images (VPC CNI, CoreDNS, kube-proxy) live in AWS-owned accounts, and each repository\'s policy decides who may pull',
    };
    for (const [id, reason] of Object.entries(nodeNag)) Validations.of(policy).acknowledge({ id, reason });
    return [role, policy];
  }

  /**
   * Managed node groups launch instances through the EC2 Auto Scaling service-linked role, which must use the volume
   * key to create the encrypted volumes. Named by `aws:PrincipalArn` rather than as principal: a key policy naming a
   * role that does not exist yet (an account without Auto Scaling groups) fails to deploy.
   */
  private allowAutoScalingToUseVolumeKey(): void {
    const autoScaling = {
      StringEquals: {
        'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      },
    };
    const { statementAdded } = this.volumeKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AutoScalingCreatesNodeVolumes', principals: [new iam.AnyPrincipal()], resources: ['*'],
      actions: VOLUME_KEY_ACTIONS,
      conditions: autoScaling,
    }));
    this.volumeKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AutoScalingAttachesNodeVolumes', principals: [new iam.AnyPrincipal()], resources: ['*'],
      actions: ['kms:CreateGrant'],
      conditions: { ...autoScaling, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }));
    if (!statementAdded) {
      Annotations.of(this).addWarningV2('regulated-mlops:eks-imported-volume-key',
        'volumeKey is imported, so its key policy is not changed here: it must let the AWSServiceRoleForAutoScaling service-linked role (and the EBS CSI driver role, with EbsCsiDriver) use the key and create grants for AWS resources, or nodes fail to launch');
    }
  }

  /** The VPC CNI as a managed add-on with the network policy agent on, taking over the bootstrap one. */
  private enforceNetworkPolicies(): void {
    const cni = new eks.Addon(this, 'VpcCni', { cluster: this.cluster, addonName: 'vpc-cni', configurationValues: { enableNetworkPolicy: 'true' } });
    (cni.node.defaultChild as eks.CfnAddon).resolveConflicts = 'OVERWRITE';
  }
}

function isPublic(access: eks.EndpointAccess): boolean {
  // EndpointAccess keeps its settings in `_config` only (PUBLIC and onlyFrom variants are distinct objects).
  return access._config.publicAccess;
}

function validate(path: string, props: ServingClusterProps, version: eks.KubernetesVersion, today: string, kubectl: boolean, needsDevicePlugin: boolean): void {
  const problems = new ProblemCollector(path, 'ServingCluster');
  const status = eksSupportStatus(version.version, today);
  if (status.phase === 'ended' || status.phase === 'older-than-table') {
    const verify = status.phase === 'ended' && status.support.verify ? ', a date still to be verified' : '';
    const ended = status.phase === 'ended' ? ` (extended support ended on ${status.support.endOfExtendedSupport}${verify})` : '';
    problems.add('version', version.version, 'a Kubernetes version in EKS standard or extended support', `Kubernetes ${version.version} is past EKS extended support${ended}: use eks.KubernetesVersion.V1_35 and upgrade one minor version at a time`);
  } else if (status.phase === 'not-a-version') {
    problems.add('version', version.version, 'a Kubernetes version such as 1.35', 'use an eks.KubernetesVersion constant');
  }
  if (kubectl && !props.kubectlLayer && version.version !== BUNDLED_KUBECTL_VERSION) {
    const minor = version.version.split('.')[1];
    problems.add('kubectlLayer', undefined, `the kubectl layer of Kubernetes ${version.version} (only @aws-cdk/lambda-layer-kubectl-v35 is a dependency of this library)`,
      `npm install @aws-cdk/lambda-layer-kubectl-v${minor} and pass kubectlLayer: new KubectlV${minor}Layer(this, 'KubectlLayer')`);
  }
  if (props.kubectl === false && (props.addons ?? []).length > 0) {
    problems.add('kubectl', false, 'true when addons are given (they are applied through the kubectl Lambda)', 'remove kubectl: false, or install the add-ons with a GitOps controller instead');
  }
  if (props.kubectl === false && needsDevicePlugin) {
    problems.add('kubectl', false, 'true when a GPU node group runs Amazon Linux 2023 (its NVIDIA device plugin is applied through the kubectl Lambda)', 'use NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA (device plugin included), or remove kubectl: false');
  }
  const access = props.endpointAccess ?? eks.EndpointAccess.PRIVATE;
  if (isPublic(access) && !props.publicEndpointAcknowledgment) {
    problems.add('endpointAccess', 'a public endpoint', 'EndpointAccess.PRIVATE, or a public endpoint with publicEndpointAcknowledgment',
      'use eks.EndpointAccess.PRIVATE and reach the API through the VPC (VPN, Direct Connect, SSM), or pass publicEndpointAcknowledgment: { reason, approvedBy, ticket, expires }');
  }
  if (props.clusterName !== undefined && !Token.isUnresolved(props.clusterName)) {
    problems.check(!CLUSTER_NAME.test(props.clusterName), 'clusterName', props.clusterName, '1 to 100 letters, digits, hyphens and underscores, starting with a letter or digit', 'rename it, or leave it unset for a derived name');
  }
  const retention = props.logRetention;
  if (retention !== undefined) {
    problems.check(retention === logs.RetentionDays.INFINITE || retention < logs.RetentionDays.ONE_YEAR, 'logRetention',
      retention === logs.RetentionDays.INFINITE ? 'RetentionDays.INFINITE' : `${retention} days`,
      'at least RetentionDays.ONE_YEAR, not INFINITE (MLOPS-LOGS-002)', 'use logs.RetentionDays.ONE_YEAR or longer');
  }
  const keyProps = (['secretsKey', 'volumeKey', 'logKey'] as const).filter((k) => props[k] !== undefined);
  problems.check(props.keys !== undefined && keyProps.length === 3, 'keys', 'keys with secretsKey, volumeKey and logKey', 'keys, or the three keys, or a mix where keys supplies the missing ones', 'remove keys: every key is given');
  checkSubnets(problems, props);
  checkNodeGroup(problems, 'systemNodeGroup', NodeGroupKind.SYSTEM, props.systemNodeGroup ?? {});
  for (const [name, options] of Object.entries(props.gpuNodeGroups ?? {})) checkGpuNodeGroup(problems, name, options, kubectl);
  problems.throwIfAny();
}

function checkGpuNodeGroup(problems: ProblemCollector, name: string, options: GpuNodeGroupOptions, kubectl: boolean): void {
  problems.check(!LABEL_VALUE.test(name), `gpuNodeGroups.${name}`, name, 'a Kubernetes label value: 1 to 63 letters, digits, -, _ or ., starting and ending with a letter or digit', "use a short name such as 'inference'");
  checkNodeGroup(problems, `gpuNodeGroups.${name}`, NodeGroupKind.GPU, options);
  const ami = resolveNodeGroup(NodeGroupKind.GPU, options).ami;
  problems.check(ami.needsDevicePlugin && !kubectl, `gpuNodeGroups.${name}.amiType`, ami.value, 'an AMI type whose device plugin runs without the kubectl Lambda (Bottlerocket NVIDIA)', 'use NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA, or create the cluster with kubectl: true');
}

/** Nodes get public IPs in public subnets: refused, as far as the VPC lets us see its subnets. */
function checkSubnets(problems: ProblemCollector, props: ServingClusterProps): void {
  const selection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  if (selection.subnetType === ec2.SubnetType.PUBLIC) {
    problems.add('vpcSubnets', 'SubnetType.PUBLIC', 'private or isolated subnets', 'use { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } (a PrivateNetwork\'s subnets)');
    return;
  }
  let selected: ec2.ISubnet[];
  try {
    selected = props.vpc.selectSubnets(selection).subnets;
  } catch {
    problems.add('vpcSubnets', selection, 'subnets the VPC has', 'select the VPC\'s isolated or private subnets');
    return;
  }
  const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
  const exposed = selected.filter((s) => publicIds.has(s.subnetId)).map((s) => s.node.id);
  problems.check(exposed.length > 0, 'vpcSubnets', exposed, 'private or isolated subnets', 'select only the VPC\'s isolated or private subnets: nodes in public subnets can get public IPs');
  problems.check(selected.length < 2, 'vpcSubnets', `${selected.length} subnet(s)`, 'subnets in at least two availability zones (EKS requires two)', 'select subnets of two or more zones');
}

/** `inference-g5` -> `InferenceG5` (construct ids are part of the contract). */
function pascal(name: string): string {
  return name.split(/[-_.]/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
