import type { Rule } from '../rule';
import { CLOUDTRAIL_RULES } from './aws/cloudtrail';
import { CLOUDWATCH_RULES } from './aws/cloudwatch';
import { EC2_RULES } from './aws/ec2';
import { ECR_RULES } from './aws/ecr';
import { EKS_RULES } from './aws/eks';
import { IAM_RULES } from './aws/iam';
import { KMS_RULES } from './aws/kms';
import { LOGS_RULES } from './aws/logs';
import { S3_RULES } from './aws/s3';
import { SAGEMAKER_RULES } from './aws/sagemaker';
import { SNS_RULES } from './aws/sns';
import { SQS_RULES } from './aws/sqs';
import { K8S_RULES } from './k8s';

/** Every rule of the library, in catalog order (by area, then id). */
export const RULE_CATALOG: readonly Rule[] = [
  ...S3_RULES,
  ...KMS_RULES,
  ...CLOUDTRAIL_RULES,
  ...LOGS_RULES,
  ...CLOUDWATCH_RULES,
  ...IAM_RULES,
  ...ECR_RULES,
  ...EC2_RULES,
  ...SNS_RULES,
  ...SQS_RULES,
  ...SAGEMAKER_RULES,
  ...EKS_RULES,
  ...K8S_RULES,
];

let byId: Map<string, Rule> | undefined;

/** A rule of the catalog by id. */
export function ruleById(id: string): Rule | undefined {
  byId ??= new Map(RULE_CATALOG.map((r) => [r.id, r]));
  return byId.get(id);
}
