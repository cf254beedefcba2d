/**
 * EC2 instance families with NVIDIA GPUs, and the accelerated families that are not NVIDIA (so a GPU node group
 * refuses them with the right fix). Pure data; "verify" marks entries not yet confirmed against the EC2
 * accelerated-computing instance page (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing).
 */

/** CPU architecture of an instance family, as EKS AMI types name it. */
export enum CpuArchitecture {
  X86_64 = 'x86_64',
  ARM_64 = 'arm64',
}

/** One instance family with NVIDIA GPUs. */
export interface NvidiaGpuFamily {
  /** The family prefix of the instance type name (`g5` of `g5.xlarge`). */
  readonly family: string;
  /** The GPU model. */
  readonly gpu: string;
  readonly architecture: CpuArchitecture;
  /** True when the entry is still to be confirmed. */
  readonly verify: boolean;
}

/** Instance families with NVIDIA GPUs that current NVIDIA drivers (and the EKS NVIDIA AMIs) support. */
export const NVIDIA_GPU_FAMILIES: readonly NvidiaGpuFamily[] = Object.freeze([
  { family: 'g4dn', gpu: 'NVIDIA T4', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'g5', gpu: 'NVIDIA A10G', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'g5g', gpu: 'NVIDIA T4G', architecture: CpuArchitecture.ARM_64, verify: false },
  { family: 'g6', gpu: 'NVIDIA L4', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'g6e', gpu: 'NVIDIA L40S', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'g6f', gpu: 'NVIDIA L4 (fractional)', architecture: CpuArchitecture.X86_64, verify: true },
  { family: 'gr6', gpu: 'NVIDIA L4', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'gr6f', gpu: 'NVIDIA L4 (fractional)', architecture: CpuArchitecture.X86_64, verify: true },
  { family: 'p3', gpu: 'NVIDIA V100', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p3dn', gpu: 'NVIDIA V100', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p4d', gpu: 'NVIDIA A100', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p4de', gpu: 'NVIDIA A100 80GB', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p5', gpu: 'NVIDIA H100', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p5e', gpu: 'NVIDIA H200', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p5en', gpu: 'NVIDIA H200', architecture: CpuArchitecture.X86_64, verify: false },
  { family: 'p6-b200', gpu: 'NVIDIA B200', architecture: CpuArchitecture.X86_64, verify: true },
  { family: 'p6e-gb200', gpu: 'NVIDIA GB200', architecture: CpuArchitecture.ARM_64, verify: true },
]);

/** Accelerated families that are not NVIDIA GPUs, with what to use instead. */
const OTHER_ACCELERATORS: ReadonlyMap<string, string> = new Map([
  ['inf1', 'AWS Inferentia'],
  ['inf2', 'AWS Inferentia2'],
  ['trn1', 'AWS Trainium'],
  ['trn1n', 'AWS Trainium'],
  ['trn2', 'AWS Trainium2'],
  ['g4ad', 'AMD Radeon Pro V520'],
  ['dl1', 'Habana Gaudi'],
  ['dl2q', 'Qualcomm AI 100'],
  ['f1', 'Xilinx FPGA'],
  ['f2', 'AMD FPGA'],
  ['vt1', 'Xilinx video transcoder'],
]);

/** The family of an instance type name: everything before the first dot (`p6-b200` of `p6-b200.48xlarge`). */
export function instanceFamily(instanceType: string): string {
  return instanceType.split('.')[0].toLowerCase();
}

/** What an instance type offers a GPU node group. */
export type GpuSupport =
  | { readonly kind: 'nvidia'; readonly family: NvidiaGpuFamily }
  | { readonly kind: 'other-accelerator'; readonly accelerator: string }
  | { readonly kind: 'no-gpu' };

/** Whether an instance type (`g5.xlarge`) has NVIDIA GPUs, another accelerator, or none. */
export function gpuSupport(instanceType: string): GpuSupport {
  const family = instanceFamily(instanceType);
  const nvidia = NVIDIA_GPU_FAMILIES.find((f) => f.family === family);
  if (nvidia) return { kind: 'nvidia', family: nvidia };
  const accelerator = OTHER_ACCELERATORS.get(family);
  return accelerator ? { kind: 'other-accelerator', accelerator } : { kind: 'no-gpu' };
}
