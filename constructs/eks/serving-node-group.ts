import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { CpuArchitecture, gpuSupport } from './gpu-instance-types';
import { NodeAmiType } from './node-ami-type';

/** What every node group of a serving cluster can set. */
export interface NodeGroupOptions {
  /**
   * Instance types, all of one CPU architecture (several let EKS fall back when one is out of capacity).
   * @default - m6i.large for the system node group; required for a GPU node group
   */
  readonly instanceTypes?: ec2.InstanceType[];
  /**
   * Fewest nodes.
   * @default 2 for the system node group, 1 for a GPU node group
   */
  readonly minSize?: number;
  /**
   * Most nodes.
   * @default - 4 for the system node group; `desiredSize` (or `minSize`) for a GPU node group
   */
  readonly maxSize?: number;
  /**
   * Nodes at creation (EKS keeps it afterwards unless an autoscaler changes it).
   * @default - `minSize`
   */
  readonly desiredSize?: number;
  /**
   * AMI type. Amazon Linux 2 types are refused (end of support 2025-11-26), so are Windows and custom AMIs.
   * @default - NodeAmiType.BOTTLEROCKET_X86_64 (system), NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA (GPU)
   */
  readonly amiType?: NodeAmiType;
  /**
   * Size in GiB of the volume holding container images and pod storage (the Bottlerocket data volume, or the
   * Amazon Linux root volume). Model images are large: size for the biggest image plus one being pulled.
   * @default 50 (system), 200 (GPU)
   */
  readonly volumeSize?: number;
  /**
   * On-demand, spot or capacity blocks.
   * @default eks.CapacityType.ON_DEMAND
   */
  readonly capacityType?: eks.CapacityType;
  /**
   * Extra Kubernetes labels. The node-role and GPU labels of `NODE_SCHEDULING` are always set and win.
   * @default - none
   */
  readonly labels?: { [name: string]: string };
}

/** Options of a GPU node group. */
export interface GpuNodeGroupOptions extends NodeGroupOptions {
  /** NVIDIA GPU instance types (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p4de, p5, p5e, p5en ...). */
  readonly instanceTypes: ec2.InstanceType[];
}

/** What a node group is for: the defaults and the checks differ. */
export enum NodeGroupKind {
  SYSTEM = 'system',
  GPU = 'gpu',
}

/** Properties of a `ServingNodeGroup`. */
export interface ServingNodeGroupProps extends NodeGroupOptions {
  readonly kind: NodeGroupKind;
  readonly cluster: eks.ICluster;
  /** The role of the nodes. */
  readonly nodeRole: iam.IRole;
  /** Where the nodes run (private subnets). */
  readonly subnets: ec2.SubnetSelection;
  /** Encrypts every volume of the nodes. */
  readonly volumeKey: kms.IKey;
  /** Labels and taints the cluster decides. */
  readonly schedulingLabels: { [name: string]: string };
  readonly taints?: eks.TaintSpec[];
}

const DEFAULTS: Record<NodeGroupKind, { ami: NodeAmiType; instanceTypes?: ec2.InstanceType[]; min: number; max?: number; volume: number }> = {
  [NodeGroupKind.SYSTEM]: { ami: NodeAmiType.BOTTLEROCKET_X86_64, instanceTypes: [new ec2.InstanceType('m6i.large')], min: 2, max: 4, volume: 50 },
  [NodeGroupKind.GPU]: { ami: NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA, min: 1, volume: 200 },
};
const MAX_NODES = 450;

/** The resolved AMI, instance types and sizes of a node group (defaults applied). */
export interface ResolvedNodeGroup {
  readonly ami: NodeAmiType;
  readonly instanceTypes: ec2.InstanceType[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly volumeSize: number;
}

/** Applies the defaults of a node group kind. */
export function resolveNodeGroup(kind: NodeGroupKind, options: NodeGroupOptions): ResolvedNodeGroup {
  const defaults = DEFAULTS[kind];
  const minSize = options.minSize ?? defaults.min;
  const desiredSize = options.desiredSize ?? minSize;
  return {
    ami: options.amiType ?? defaults.ami,
    instanceTypes: options.instanceTypes ?? defaults.instanceTypes ?? [],
    minSize,
    desiredSize,
    maxSize: options.maxSize ?? defaults.max ?? Math.max(desiredSize, 1),
    volumeSize: options.volumeSize ?? defaults.volume,
  };
}

/**
 * Checks a node group's options: the AMI type, the instance types (NVIDIA GPUs for a GPU group, the AMI's
 * architecture), the sizes and the volume. `prop` names the group in messages (`gpuNodeGroups.inference`).
 */
export function checkNodeGroup(problems: ProblemCollector, prop: string, kind: NodeGroupKind, options: NodeGroupOptions): void {
  const group = resolveNodeGroup(kind, options);
  const ami = group.ami;
  if (ami.isAmazonLinux2) {
    problems.add(`${prop}.amiType`, ami.value, 'Bottlerocket or Amazon Linux 2023 AMI types', `Amazon Linux 2 AMIs reached end of support on 2025-11-26: use NodeAmiType.${kind === NodeGroupKind.GPU ? 'BOTTLEROCKET_X86_64_NVIDIA (or AL2023_X86_64_NVIDIA)' : 'BOTTLEROCKET_X86_64 (or AL2023_X86_64_STANDARD)'}`);
  } else if (!ami.isSupported) {
    problems.add(`${prop}.amiType`, ami.value, 'Bottlerocket or Amazon Linux 2023 AMI types', 'use a NodeAmiType constant; Windows, Neuron-only and custom AMIs are not run by this library');
  } else if (kind === NodeGroupKind.GPU && !ami.isNvidia) {
    problems.add(`${prop}.amiType`, ami.value, 'an NVIDIA AMI type', 'use NodeAmiType.BOTTLEROCKET_X86_64_NVIDIA (device plugin included), its _FIPS variant, or AL2023_X86_64_NVIDIA');
  } else if (kind === NodeGroupKind.SYSTEM && ami.isNvidia) {
    problems.add(`${prop}.amiType`, ami.value, 'an AMI type without the NVIDIA driver', 'use NodeAmiType.BOTTLEROCKET_X86_64 (or its _FIPS variant): system nodes have no GPU');
  }
  checkInstanceTypes(problems, prop, kind, group);
  checkSizes(problems, prop, group);
  const volume = group.volumeSize;
  problems.check(!Token.isUnresolved(volume) && (!Number.isInteger(volume) || volume < 20 || volume > 16384), `${prop}.volumeSize`, volume, 'a whole number of GiB from 20 to 16384', 'use 200 for GPU nodes pulling model images, 50 for system nodes');
}

function checkInstanceTypes(problems: ProblemCollector, prop: string, kind: NodeGroupKind, group: ResolvedNodeGroup): void {
  const names = group.instanceTypes.map((t) => t.toString()).filter((n) => !Token.isUnresolved(n));
  if (group.instanceTypes.length === 0) {
    const example = kind === NodeGroupKind.GPU ? 'g5.xlarge' : 'm6i.large';
    problems.add(`${prop}.instanceTypes`, [], `at least one ${kind === NodeGroupKind.GPU ? 'NVIDIA GPU ' : ''}instance type`, `pass e.g. [new ec2.InstanceType('${example}')]`);
    return;
  }
  for (const name of names) {
    const support = gpuSupport(name);
    if (kind === NodeGroupKind.GPU && support.kind === 'no-gpu') {
      problems.add(`${prop}.instanceTypes`, name, 'instance types with NVIDIA GPUs (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p4de, p5, p5e, p5en ...)', `${name} has no GPU: pick a GPU type such as g5.xlarge or g6.xlarge, or put CPU workloads on the system node group`);
      continue;
    }
    if (kind === NodeGroupKind.GPU && support.kind === 'other-accelerator') {
      problems.add(`${prop}.instanceTypes`, name, 'instance types with NVIDIA GPUs', `${name} has ${support.accelerator}, not an NVIDIA GPU: this library runs NVIDIA GPU nodes only; for Inferentia or Trainium create a node group with AmiType AL2023_x86_64_NEURON and the Neuron device plugin outside it`);
      continue;
    }
    if (kind === NodeGroupKind.SYSTEM && support.kind !== 'no-gpu') {
      problems.add(`${prop}.instanceTypes`, name, 'general-purpose instance types without accelerators', `${name} is an accelerated type: put it in a GPU node group, and use m6i.large or similar for system nodes`);
      continue;
    }
    const architecture = support.kind === 'nvidia' ? support.family.architecture : architectureOf(name);
    problems.check(architecture !== group.ami.architecture, `${prop}.instanceTypes`, name, `${group.ami.architecture} instance types (the architecture of ${group.ami.value})`, `use a ${group.ami.architecture === CpuArchitecture.ARM_64 ? 'Graviton' : 'x86-64'} instance type, or an AMI type for ${architecture}`);
  }
}

/** Graviton families carry a `g` after the generation digit (m7g, c6gn, r8g); the rest here is x86-64. */
function architectureOf(name: string): CpuArchitecture {
  return /^[a-z]+\d+g/.test(name.split('.')[0]) ? CpuArchitecture.ARM_64 : CpuArchitecture.X86_64;
}

function checkSizes(problems: ProblemCollector, prop: string, group: ResolvedNodeGroup): void {
  const { minSize: min, maxSize: max, desiredSize: desired } = group;
  if ([min, max, desired].some((n) => Token.isUnresolved(n))) return;
  const whole = (n: number, low: number) => Number.isInteger(n) && n >= low && n <= MAX_NODES;
  problems.check(!whole(min, 0), `${prop}.minSize`, min, `a whole number from 0 to ${MAX_NODES}`, 'use 1 (or 0 to scale a GPU group to nothing)');
  problems.check(!whole(max, 1), `${prop}.maxSize`, max, `a whole number from 1 to ${MAX_NODES}`, 'use at least 1');
  if (whole(min, 0) && whole(max, 1)) {
    problems.check(min > max, `${prop}.minSize`, `minSize ${min} > maxSize ${max}`, 'minSize <= desiredSize <= maxSize', `raise maxSize to at least ${min} or lower minSize`);
    problems.check(min <= max && (desired < min || desired > max), `${prop}.desiredSize`, desired, `${min} to ${max} (minSize to maxSize)`, 'set desiredSize between minSize and maxSize, or leave it unset');
  }
}

/**
 * A managed node group of a serving cluster: nodes launched from a launch template that requires IMDSv2 with a hop
 * limit of 1 (pods cannot reach the node role), maps every volume of the AMI encrypted with the volume key, and
 * sets no SSH key and no network interfaces (the private subnets give no public IPs).
 */
export class ServingNodeGroup extends Construct {
  /** The EKS node group. */
  public readonly nodegroup: eks.Nodegroup;
  /** The launch template. */
  public readonly launchTemplate: ec2.CfnLaunchTemplate;
  /** The AMI type the nodes run. */
  public readonly amiType: NodeAmiType;

  constructor(scope: Construct, id: string, props: ServingNodeGroupProps) {
    super(scope, id);
    const group = resolveNodeGroup(props.kind, props);
    this.amiType = group.ami;
    const dataDevice = group.ami.dataDevice;
    this.launchTemplate = new ec2.CfnLaunchTemplate(this, 'LaunchTemplate', {
      launchTemplateData: {
        metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
        // Every device of the AMI, so none is created unencrypted from the AMI snapshot; the OS volume of
        // Bottlerocket keeps the snapshot's size.
        blockDeviceMappings: group.ami.volumeDevices.map((deviceName) => ({
          deviceName,
          ebs: {
            encrypted: true,
            kmsKeyId: props.volumeKey.keyArn,
            volumeType: 'gp3',
            deleteOnTermination: true,
            ...(deviceName === dataDevice ? { volumeSize: group.volumeSize } : {}),
          },
        })),
      },
    });
    this.nodegroup = new eks.Nodegroup(this, 'Resource', {
      cluster: props.cluster,
      nodeRole: props.nodeRole,
      subnets: props.subnets,
      instanceTypes: group.instanceTypes,
      minSize: group.minSize,
      maxSize: group.maxSize,
      desiredSize: group.desiredSize,
      capacityType: props.capacityType ?? eks.CapacityType.ON_DEMAND,
      labels: { ...props.labels, ...props.schedulingLabels },
      taints: props.taints,
      launchTemplateSpec: { id: this.launchTemplate.ref, version: this.launchTemplate.attrLatestVersionNumber },
    });
    // Set on the L1: eks.NodegroupAmiType has no NVIDIA FIPS types and its architecture check does not know them.
    (this.nodegroup.node.defaultChild as eks.CfnNodegroup).amiType = group.ami.value;
  }
}
