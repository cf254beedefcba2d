/**
 * The rule lists packs share. A pack names the list it takes and the rules it leaves out (those whose themes its
 * framework has no control for), so what differs between packs is visible in one line.
 */

/** Every CloudFormation rule of the catalog. */
export const AWS_RULE_IDS: readonly string[] = [
  'MLOPS-S3-001', 'MLOPS-S3-002', 'MLOPS-S3-003', 'MLOPS-S3-004', 'MLOPS-S3-005', 'MLOPS-S3-010',
  'MLOPS-KMS-001', 'MLOPS-KMS-002', 'MLOPS-KMS-003',
  'MLOPS-CT-001', 'MLOPS-CT-002', 'MLOPS-CT-003', 'MLOPS-CT-004', 'MLOPS-CT-010',
  'MLOPS-LOGS-001', 'MLOPS-LOGS-002',
  'MLOPS-IAM-001', 'MLOPS-IAM-002',
  'MLOPS-ECR-001', 'MLOPS-ECR-002', 'MLOPS-ECR-003', 'MLOPS-ECR-004', 'MLOPS-ECR-005',
  'MLOPS-VPC-001', 'MLOPS-VPC-010', 'MLOPS-VPC-011',
  'MLOPS-SNS-001', 'MLOPS-SNS-002',
  'MLOPS-SQS-001', 'MLOPS-SQS-002',
  'MLOPS-SM-001', 'MLOPS-SM-002', 'MLOPS-SM-003', 'MLOPS-SM-004', 'MLOPS-SM-005', 'MLOPS-SM-006', 'MLOPS-SM-007', 'MLOPS-SM-010', 'MLOPS-SM-011', 'MLOPS-SM-020', 'MLOPS-SM-021', 'MLOPS-SM-022', 'MLOPS-SM-023', 'MLOPS-SM-030', 'MLOPS-SM-031',
  'MLOPS-EKS-001', 'MLOPS-EKS-002', 'MLOPS-EKS-003', 'MLOPS-EKS-004', 'MLOPS-EKS-010', 'MLOPS-EKS-011', 'MLOPS-EKS-012', 'MLOPS-EKS-013',
  'MLOPS-CW-001',
];

/** Every Kubernetes rule of the catalog. */
export const K8S_RULE_IDS: readonly string[] = [
  'MLOPS-PSS-001', 'MLOPS-PSS-002', 'MLOPS-PSS-003', 'MLOPS-PSS-004', 'MLOPS-PSS-005', 'MLOPS-PSS-006', 'MLOPS-PSS-007', 'MLOPS-PSS-008', 'MLOPS-PSS-009', 'MLOPS-PSS-010', 'MLOPS-PSS-011', 'MLOPS-PSS-012', 'MLOPS-PSS-013', 'MLOPS-PSS-014', 'MLOPS-PSS-015', 'MLOPS-PSS-016', 'MLOPS-PSS-017', 'MLOPS-PSS-018', 'MLOPS-PSS-019',
  'MLOPS-K8S-001', 'MLOPS-K8S-002', 'MLOPS-K8S-003', 'MLOPS-K8S-004', 'MLOPS-K8S-005', 'MLOPS-K8S-006', 'MLOPS-K8S-007', 'MLOPS-K8S-008', 'MLOPS-K8S-009',
];

/** `ids` without `excluded`; fails at load when an excluded id is not in `ids`, so a typo cannot pass silently. */
export function except(ids: readonly string[], excluded: readonly string[]): string[] {
  const unknown = excluded.filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new Error(`Pack excludes rules it does not list: ${unknown.join(', ')}`);
  return ids.filter((id) => !excluded.includes(id));
}
