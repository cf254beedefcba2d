import { instanceFamily, instanceStorageOf, INSTANCE_STORAGE } from '../../lib/policy/rules/aws/sagemaker/instance-storage';

/** How an instance type stores the model on the instance, which decides whether the ML volume takes a KMS key. */
export enum InstanceStorage {
  /** An EBS ML storage volume: encrypted with the endpoint config's `KmsKeyId`, sized by `VolumeSizeInGB`. */
  EBS = 'EBS',
  /**
   * Local NVMe instance storage, encrypted by a hardware module on the instance: SageMaker rejects `KmsKeyId` and
   * `VolumeSizeInGB` for these types.
   */
  NVME = 'NVME',
}

const sizes = (family: string, list: string) => list.split(',').map((size) => `ml.${family}.${size}large`);

/**
 * The accelerated (GPU, Inferentia, Trainium, Gaudi) real-time instance types of the `ProductionVariantInstanceType`
 * enum (reference/sagemaker.md §5). Membership is not regional availability or quota.
 */
export const ACCELERATED_INSTANCE_TYPES: readonly string[] = Object.freeze([
  ...sizes('p2', 'x,8x,16x'),
  ...sizes('p3', '2x,8x,16x'),
  ...sizes('g4dn', 'x,2x,4x,8x,12x,16x'),
  ...sizes('g5', 'x,2x,4x,8x,12x,16x,24x,48x'),
  ...sizes('g6', 'x,2x,4x,8x,12x,16x,24x,48x'),
  ...sizes('g6e', 'x,2x,4x,8x,12x,16x,24x,48x'),
  ...sizes('g7e', '2x,4x,8x,12x,24x,48x'),
  'ml.p4d.24xlarge', 'ml.p4de.24xlarge', 'ml.p5.4xlarge', 'ml.p5.48xlarge', 'ml.p5e.48xlarge', 'ml.p5en.48xlarge',
  'ml.p6-b200.48xlarge', 'ml.p6-b300.48xlarge', 'ml.p6e-gb200.36xlarge',
  ...sizes('inf1', 'x,2x,6x,24x'),
  ...sizes('inf2', 'x,8x,24x,48x'),
  'ml.trn1.2xlarge', 'ml.trn1.32xlarge', 'ml.trn1n.32xlarge', 'ml.trn2.48xlarge',
  'ml.dl1.24xlarge',
]);

const ACCELERATED_FAMILIES = new Set(ACCELERATED_INSTANCE_TYPES.map((t) => instanceFamily(t)!));

/** What the construct knows about one instance type. */
export interface InstanceTypeInfo {
  /** The family (`g5`), undefined when the string is not an `ml.<family>.<size>` type. */
  readonly family?: string;
  /** Whether the family has GPUs or other accelerators. */
  readonly accelerated: boolean;
  /** The storage, from `declared` or from the table; undefined when neither knows. */
  readonly storage?: InstanceStorage;
  /** Why the storage is what it is, for messages and acknowledgments. */
  readonly storageSource?: string;
  /** A problem with the type itself, for an error message (unknown size of an accelerated family, not ml.*). */
  readonly problem?: string;
}

/**
 * What is known about an `ml.*` instance type. `declared` (the user's `instanceStorage`) wins over the table, so a
 * family the table does not know yet can still be used.
 */
export function instanceTypeInfo(instanceType: string, declared?: InstanceStorage): InstanceTypeInfo {
  const family = instanceFamily(instanceType);
  if (family === undefined) {
    return { accelerated: false, problem: "not an ml.<family>.<size> instance type (e.g. 'ml.g5.xlarge')" };
  }
  const accelerated = ACCELERATED_FAMILIES.has(family);
  if (accelerated && !ACCELERATED_INSTANCE_TYPES.includes(instanceType)) {
    const known = ACCELERATED_INSTANCE_TYPES.filter((t) => instanceFamily(t) === family).join(', ');
    return { family, accelerated, problem: `not a real-time instance type of the ${family} family (${known})` };
  }
  if (declared !== undefined) return { family, accelerated, storage: declared, storageSource: 'declared with instanceStorage' };
  const entry = instanceStorageOf(instanceType);
  if (entry === undefined) return { family, accelerated };
  return { family, accelerated, storage: entry.nvme ? InstanceStorage.NVME : InstanceStorage.EBS, storageSource: entry.source };
}

/** The families the storage table knows, for the fix of an "unknown family" error. */
export function knownFamilies(): string[] {
  return Object.keys(INSTANCE_STORAGE);
}
