import { ProductionVariantInstanceType } from '@aws-sdk/client-sagemaker';
import {
  hasNvmeInstanceStorage, INSTANCE_STORAGE, instanceFamily, instanceStorageOf,
} from '../../../../../lib/policy/rules/aws/sagemaker/instance-storage';

describe('SageMaker instance storage table', () => {
  it.each([
    // "d" families and g5 (confirmed sources)
    'ml.c5d.xlarge', 'ml.m5d.large', 'ml.r5d.2xlarge', 'ml.g4dn.xlarge', 'ml.p3dn.24xlarge', 'ml.p4d.24xlarge', 'ml.p4de.24xlarge',
    'ml.m6id.large', 'ml.c6gd.xlarge', 'ml.r7gd.large', 'ml.g5.xlarge', 'ml.g5.48xlarge',
    // newer accelerated families (to verify)
    'ml.g6.xlarge', 'ml.g6e.2xlarge', 'ml.g7e.2xlarge', 'ml.p5.48xlarge', 'ml.p5e.48xlarge', 'ml.p5en.48xlarge',
    'ml.p6-b200.48xlarge', 'ml.p6-b300.48xlarge', 'ml.p6e-gb200.36xlarge', 'ml.trn1.2xlarge', 'ml.trn1n.32xlarge', 'ml.trn2.48xlarge',
  ])('%s has NVMe instance storage', (type) => expect(hasNvmeInstanceStorage(type)).toBe(true));

  it.each([
    'ml.inf1.xlarge', 'ml.inf2.xlarge', 'ml.p2.xlarge', 'ml.p3.2xlarge', 'ml.p3.16xlarge',
    'ml.c5.xlarge', 'ml.m5.large', 'ml.r5.xlarge', 'ml.c6i.large', 'ml.m6i.xlarge', 'ml.t2.medium', 'ml.t3.medium', 'ml.c6gn.large', 'ml.c6in.large',
  ])('%s uses an EBS ML storage volume', (type) => expect(hasNvmeInstanceStorage(type)).toBe(false));

  it.each([
    ['an unknown family', 'ml.dl1.24xlarge'],
    ['a family newer than the table', 'ml.g7.2xlarge'],
    ['an EC2 type without ml.', 'g5.xlarge'],
    ['a type without size', 'ml.g5'],
    ['upper case', 'ML.G5.XLARGE'],
    ['surrounding blanks', ' ml.g5.xlarge'],
    ['an object prototype key', 'ml.constructor.large'],
    ['an empty string', ''],
  ])('returns undefined for %s (%s)', (_what, type) => expect(hasNvmeInstanceStorage(type)).toBeUndefined());

  it('reads the family of hyphenated types', () => {
    expect(instanceFamily('ml.p6-b200.48xlarge')).toBe('p6-b200');
    expect(instanceFamily('ml.p6e-gb200.36xlarge')).toBe('p6e-gb200');
    expect(instanceFamily('ml.g5.xlarge')).toBe('g5');
  });

  it('marks the classifications still to be verified', () => {
    expect(instanceStorageOf('ml.g5.xlarge')).toMatchObject({ nvme: true, verify: false });
    expect(instanceStorageOf('ml.g6.xlarge')).toMatchObject({ nvme: true, verify: true });
    expect(instanceStorageOf('ml.trn2.48xlarge')).toMatchObject({ nvme: true, verify: true });
    expect(instanceStorageOf('ml.inf2.xlarge')).toMatchObject({ nvme: false, verify: true });
    expect(instanceStorageOf('ml.m5.xlarge')).toMatchObject({ nvme: false, verify: false });
  });

  it('documents a source for every entry', () => {
    for (const [family, entry] of Object.entries(INSTANCE_STORAGE)) {
      expect({ family, source: entry.source }).toEqual({ family, source: expect.stringContaining('sagemaker.md §4') });
    }
  });

  it('is frozen', () => expect(Object.isFrozen(INSTANCE_STORAGE)).toBe(true));

  it('classifies every real-time family of the SDK enum except the ones deliberately left unknown', () => {
    const families = new Set(Object.values(ProductionVariantInstanceType).map((t) => instanceFamily(t)));
    const unknown = [...families].filter((f) => f === undefined || !(f in INSTANCE_STORAGE)).sort();
    // dl1 (Gaudi) and g7 are not in reference/sagemaker.md §4: a deploy-time answer is needed before classifying them.
    expect(unknown).toEqual(['dl1', 'g7']);
  });
});
