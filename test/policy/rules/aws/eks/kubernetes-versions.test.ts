import { EKS_KUBERNETES_VERSIONS, eksSupportStatus } from '../../../../../lib/policy/rules/aws/eks/kubernetes-versions';

describe('EKS Kubernetes version table', () => {
  it.each([
    ['1.35', '2026-11-26', 'standard'],
    ['1.34', '2026-12-02', 'standard'],
    ['1.34', '2026-12-03', 'extended'],
    ['1.31', '2026-11-26', 'extended'],
    ['1.31', '2026-11-27', 'ended'],
    ['1.29', '2026-03-23', 'extended'],
    ['1.29', '2026-03-24', 'ended'],
    ['1.34.2', '2026-11-26', 'standard'],
    ['1.36', '2026-11-26', 'newer-than-table'],
    ['2.0', '2026-11-26', 'newer-than-table'],
    ['1.26', '2026-11-26', 'older-than-table'],
    ['latest', '2026-11-26', 'not-a-version'],
    ['', '2026-11-26', 'not-a-version'],
  ])('%s on %s is %s', (version, date, phase) => expect(eksSupportStatus(version, date).phase).toBe(phase));

  it('marks only the 1.27 and 1.28 dates for verification', () => {
    expect(EKS_KUBERNETES_VERSIONS.filter((v) => v.verify).map((v) => v.version)).toEqual(['1.27', '1.28']);
  });

  it('is ordered oldest first, with standard support ending before extended support', () => {
    for (const [i, v] of EKS_KUBERNETES_VERSIONS.entries()) {
      expect(v.released < v.endOfStandardSupport && v.endOfStandardSupport < v.endOfExtendedSupport).toBe(true);
      if (i > 0) expect(Number(v.version.split('.')[1])).toBe(Number(EKS_KUBERNETES_VERSIONS[i - 1].version.split('.')[1]) + 1);
    }
  });
});
