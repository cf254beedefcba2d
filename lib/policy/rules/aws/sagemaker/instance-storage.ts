/**
 * Which SageMaker ml.* instance families carry local NVMe instance storage. On those, CreateEndpointConfig
 * rejects `KmsKeyId` ("You can't request a KmsKeyId when using an instance type with local storage") and
 * `VolumeSizeInGB`: the instance store is encrypted by a hardware module on the instance instead.
 * Source: reference/sagemaker.md §4. Pure data, shared by the policy rules and the endpoint constructs.
 */

/** What is known about one instance family. */
export interface InstanceStorageEntry {
  /** True when the family has local NVMe instance storage (SageMaker then rejects KmsKeyId and VolumeSizeInGB). */
  readonly nvme: boolean;
  /** Where the classification comes from. */
  readonly source: string;
  /** True when the classification is still to be confirmed with CreateEndpointConfig in a sandbox account. */
  readonly verify: boolean;
}

// The sources of reference/sagemaker.md §4, once each.
const D_FAMILY: InstanceStorageEntry = {
  nvme: true,
  verify: false,
  source: 'sagemaker.md §4: family with "d" (local disk); aws/sagemaker-python-sdk utils.volume_size_supported, sagemaker-python-sdk #3677',
};
const G5: InstanceStorageEntry = {
  nvme: true,
  verify: false,
  source: 'sagemaker.md §4: aws/sagemaker-python-sdk utils.volume_size_supported, aws-samples/aws-enterprise-mlops-framework PR #11',
};
const NEWER_ACCELERATED: InstanceStorageEntry = {
  nvme: true,
  verify: true,
  source: 'sagemaker.md §4: unclear, treated as NVMe (third-party patches reject KmsKeyId there); verify with CreateEndpointConfig',
};
const EBS_ONLY: InstanceStorageEntry = {
  nvme: false,
  verify: false,
  source: 'sagemaker.md §4: no "d", no instance store; KmsKeyId accepted (same heuristic)',
};
const INF2: InstanceStorageEntry = {
  nvme: false,
  verify: true,
  source: 'sagemaker.md §4: unclear (third-party patches treat inf as rejecting KmsKeyId); treated as EBS-only; verify with CreateEndpointConfig',
};

/**
 * Instance family (`g5` of `ml.g5.xlarge`, `p6-b200` of `ml.p6-b200.48xlarge`) → storage. Families that are
 * not listed are unknown on purpose: a guess would either break the deploy or leave a volume without a CMK.
 */
export const INSTANCE_STORAGE: Readonly<Record<string, InstanceStorageEntry>> = Object.freeze({
  // Local NVMe: every family with a "d" (disk) attribute, and g5.
  c5d: D_FAMILY, m5d: D_FAMILY, r5d: D_FAMILY, c6id: D_FAMILY, m6id: D_FAMILY, r6id: D_FAMILY,
  c6gd: D_FAMILY, m6gd: D_FAMILY, r6gd: D_FAMILY, r7gd: D_FAMILY,
  g4dn: D_FAMILY, p3dn: D_FAMILY, p4d: D_FAMILY, p4de: D_FAMILY,
  g5: G5,
  // Local NVMe by the same reading of the EC2 specifications, not yet confirmed against SageMaker.
  g6: NEWER_ACCELERATED, g6e: NEWER_ACCELERATED, g7e: NEWER_ACCELERATED,
  p5: NEWER_ACCELERATED, p5e: NEWER_ACCELERATED, p5en: NEWER_ACCELERATED,
  'p6-b200': NEWER_ACCELERATED, 'p6-b300': NEWER_ACCELERATED, 'p6e-gb200': NEWER_ACCELERATED,
  trn1: NEWER_ACCELERATED, trn1n: NEWER_ACCELERATED, trn2: NEWER_ACCELERATED,
  // EBS only: KmsKeyId is accepted and required.
  inf1: EBS_ONLY, inf2: INF2, p2: EBS_ONLY, p3: EBS_ONLY,
  t2: EBS_ONLY, t3: EBS_ONLY, c4: EBS_ONLY, m4: EBS_ONLY,
  c5: EBS_ONLY, c5n: EBS_ONLY, m5: EBS_ONLY, r5: EBS_ONLY,
  c6i: EBS_ONLY, c6in: EBS_ONLY, m6i: EBS_ONLY, r6i: EBS_ONLY,
  c6g: EBS_ONLY, c6gn: EBS_ONLY, m6g: EBS_ONLY, r6g: EBS_ONLY,
  c7i: EBS_ONLY, m7i: EBS_ONLY, r7i: EBS_ONLY, c7g: EBS_ONLY,
  c8i: EBS_ONLY, m8i: EBS_ONLY, r8i: EBS_ONLY, c8g: EBS_ONLY, m8g: EBS_ONLY, r8g: EBS_ONLY,
});

/** The family of an ml.* instance type (`ml.g5.xlarge` → `g5`); undefined when the string is not one. */
export function instanceFamily(instanceType: string): string | undefined {
  return /^ml\.([a-z0-9]+(?:-[a-z0-9]+)?)\.[a-z0-9]+$/.exec(instanceType)?.[1];
}

/** What is known about the storage of an ml.* instance type; undefined for an unknown family or a non-ml.* string. */
export function instanceStorageOf(instanceType: string): InstanceStorageEntry | undefined {
  const family = instanceFamily(instanceType);
  return family !== undefined && Object.hasOwn(INSTANCE_STORAGE, family) ? INSTANCE_STORAGE[family] : undefined;
}

/**
 * True when the ml.* instance type has local NVMe instance storage (SageMaker rejects KmsKeyId and
 * VolumeSizeInGB), false when it uses an EBS ML storage volume (KmsKeyId applies), undefined when the family
 * is unknown.
 */
export function hasNvmeInstanceStorage(instanceType: string): boolean | undefined {
  return instanceStorageOf(instanceType)?.nvme;
}
