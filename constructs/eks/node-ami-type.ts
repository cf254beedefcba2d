import { nodeVolumeDevices } from '../../lib/policy/rules/aws/eks/node-volumes-encrypted-kms';
import { CpuArchitecture } from './gpu-instance-types';

/**
 * The AMI type of a managed node group (the EKS `AmiType` values). A class rather than `eks.NodegroupAmiType`
 * because that enum lacks the Bottlerocket NVIDIA FIPS types; `NodeAmiType.of` takes any value EKS accepts, and
 * the node groups refuse the ones this library does not run (Amazon Linux 2, Windows, custom AMIs).
 */
export class NodeAmiType {
  /** Bottlerocket, x86-64: the default for the system node group. */
  public static readonly BOTTLEROCKET_X86_64 = new NodeAmiType('BOTTLEROCKET_x86_64');
  /** Bottlerocket with FIPS 140-3 validated crypto, x86-64. */
  public static readonly BOTTLEROCKET_X86_64_FIPS = new NodeAmiType('BOTTLEROCKET_x86_64_FIPS');
  /** Bottlerocket, ARM-64. */
  public static readonly BOTTLEROCKET_ARM_64 = new NodeAmiType('BOTTLEROCKET_ARM_64');
  /** Bottlerocket with FIPS, ARM-64. */
  public static readonly BOTTLEROCKET_ARM_64_FIPS = new NodeAmiType('BOTTLEROCKET_ARM_64_FIPS');
  /** Amazon Linux 2023, x86-64. */
  public static readonly AL2023_X86_64_STANDARD = new NodeAmiType('AL2023_x86_64_STANDARD');
  /** Amazon Linux 2023, ARM-64. */
  public static readonly AL2023_ARM_64_STANDARD = new NodeAmiType('AL2023_ARM_64_STANDARD');
  /** Bottlerocket with the NVIDIA driver and device plugin, x86-64: the default for GPU node groups. */
  public static readonly BOTTLEROCKET_X86_64_NVIDIA = new NodeAmiType('BOTTLEROCKET_x86_64_NVIDIA');
  /** Bottlerocket with the NVIDIA driver and device plugin and FIPS, x86-64. */
  public static readonly BOTTLEROCKET_X86_64_NVIDIA_FIPS = new NodeAmiType('BOTTLEROCKET_x86_64_NVIDIA_FIPS');
  /** Bottlerocket with the NVIDIA driver and device plugin, ARM-64 (g5g). */
  public static readonly BOTTLEROCKET_ARM_64_NVIDIA = new NodeAmiType('BOTTLEROCKET_ARM_64_NVIDIA');
  /** Bottlerocket with the NVIDIA driver and device plugin and FIPS, ARM-64. */
  public static readonly BOTTLEROCKET_ARM_64_NVIDIA_FIPS = new NodeAmiType('BOTTLEROCKET_ARM_64_NVIDIA_FIPS');
  /** Amazon Linux 2023 with the NVIDIA driver, x86-64; the cluster installs the NVIDIA device plugin. */
  public static readonly AL2023_X86_64_NVIDIA = new NodeAmiType('AL2023_x86_64_NVIDIA');
  /** Amazon Linux 2023 with the NVIDIA driver, ARM-64; the cluster installs the NVIDIA device plugin. */
  public static readonly AL2023_ARM_64_NVIDIA = new NodeAmiType('AL2023_ARM_64_NVIDIA');

  /** Any EKS AMI type by its API value (`BOTTLEROCKET_x86_64_NVIDIA`). */
  public static of(value: string): NodeAmiType {
    return new NodeAmiType(value);
  }

  private constructor(
    /** The EKS API value. */
    public readonly value: string,
  ) {}

  /** Bottlerocket or Amazon Linux 2023: the operating systems this library runs nodes on. */
  public get isSupported(): boolean {
    return this.value.startsWith('BOTTLEROCKET_') || this.value.startsWith('AL2023_');
  }

  /** An Amazon Linux 2 type (end of support 2025-11-26). */
  public get isAmazonLinux2(): boolean {
    return this.value.startsWith('AL2_');
  }

  /** Carries the NVIDIA driver. */
  public get isNvidia(): boolean {
    return this.value.includes('_NVIDIA');
  }

  /** Needs the NVIDIA device plugin installed in the cluster (Bottlerocket ships it in the AMI). */
  public get needsDevicePlugin(): boolean {
    return this.isNvidia && this.value.startsWith('AL2023_');
  }

  /** The CPU architecture the AMI is built for. */
  public get architecture(): CpuArchitecture {
    return this.value.includes('ARM_64') ? CpuArchitecture.ARM_64 : CpuArchitecture.X86_64;
  }

  /** The EBS devices a node boots with: the launch template must map (and encrypt) each. */
  public get volumeDevices(): readonly string[] {
    return nodeVolumeDevices(this.value) ?? [];
  }

  /** The device that holds container images and pod storage, sized by the node group. */
  public get dataDevice(): string {
    const devices = this.volumeDevices;
    return devices[devices.length - 1];
  }

  public toString(): string {
    return this.value;
  }
}
