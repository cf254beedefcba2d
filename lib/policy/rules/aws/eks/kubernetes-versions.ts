/**
 * EKS Kubernetes version support windows (reference/kubernetes.md §1; awsdocs/amazon-eks-user-guide
 * kubernetes-versions.adoc, https://endoflife.date/amazon-eks). Pure data, shared by the policy rules and
 * the cluster constructs. End dates are inclusive: a version is supported through the end date.
 */

/** The support window of one Kubernetes minor version on EKS. */
export interface EksVersionSupport {
  /** `1.34`. */
  readonly version: string;
  /** EKS release date, `YYYY-MM-DD`. */
  readonly released: string;
  /** Last day of standard support. */
  readonly endOfStandardSupport: string;
  /** Last day of extended support (extra charge); EKS auto-upgrades the cluster after it. */
  readonly endOfExtendedSupport: string;
  /** True when a date is still to be confirmed against the EKS user guide. */
  readonly verify: boolean;
}

/** The date the table was compiled; versions newer than its newest are assumed supported. */
export const EKS_VERSION_TABLE_DATE = '2026-11-26';

/** Oldest first. */
export const EKS_KUBERNETES_VERSIONS: readonly EksVersionSupport[] = Object.freeze([
  { version: '1.27', released: '2023-05-24', endOfStandardSupport: '2024-07-24', endOfExtendedSupport: '2025-07-24', verify: true },
  { version: '1.28', released: '2023-09-26', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26', verify: true },
  { version: '1.29', released: '2024-01-23', endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23', verify: false },
  { version: '1.30', released: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23', verify: false },
  { version: '1.31', released: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26', verify: false },
  { version: '1.32', released: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23', verify: false },
  { version: '1.33', released: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29', verify: false },
  { version: '1.34', released: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02', verify: false },
  { version: '1.35', released: '2026-01-28', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', verify: false },
]);

/** Where a version stands on a date. */
export type EksSupportStatus =
  | { readonly phase: 'standard' | 'extended' | 'ended'; readonly support: EksVersionSupport }
  | { readonly phase: 'newer-than-table' | 'older-than-table' }
  | { readonly phase: 'not-a-version' };

/** Major and minor of `1.34` (also `1.34.2`); undefined when the string is not a version. */
function parse(version: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const compare = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/** The support phase of a Kubernetes version on a date (`YYYY-MM-DD`; ISO dates compare as strings). */
export function eksSupportStatus(version: string, onDate: string): EksSupportStatus {
  const wanted = parse(version);
  if (!wanted) return { phase: 'not-a-version' };
  const support = EKS_KUBERNETES_VERSIONS.find((s) => compare(parse(s.version)!, wanted) === 0);
  if (!support) {
    const newest = parse(EKS_KUBERNETES_VERSIONS[EKS_KUBERNETES_VERSIONS.length - 1].version)!;
    return { phase: compare(wanted, newest) > 0 ? 'newer-than-table' : 'older-than-table' };
  }
  if (onDate <= support.endOfStandardSupport) return { phase: 'standard', support };
  if (onDate <= support.endOfExtendedSupport) return { phase: 'extended', support };
  return { phase: 'ended', support };
}
