import type { IResource } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * A SageMaker model package group: the registry of one model's versions, created here (`ModelRegistry`) or
 * imported (`ModelRegistry.fromModelPackageGroupName`, `fromModelPackageGroupArn`, `fromModelPackageGroupAttributes`).
 * Its `env` is the group's account and region (taken from the ARN of an imported group).
 */
export interface IModelRegistry extends IResource {
  /** The group's name (what events carry in `detail.ModelPackageGroupName`). */
  readonly modelPackageGroupName: string;
  /** The group's ARN. */
  readonly modelPackageGroupArn: string;
  /** The key that encrypts package and model card content, when known. */
  readonly encryptionKey?: kms.IKey;

  /** The ARN of one version of the group (`arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`); `'*'` for every version. */
  modelPackageArn(version: string): string;

  /**
   * Lets `grantee` read the group and its versions (DescribeModelPackageGroup, DescribeModelPackage,
   * ListModelPackages) and decrypt their content through SageMaker. Nothing that changes a version.
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` register versions, only as `PendingManualApproval`, and denies it approving or rejecting any
   * version of the group (explicit Deny on UpdateModelPackage): a registrant can never approve its own model.
   */
  grantRegister(grantee: iam.IGrantable): iam.Grant;

  /**
   * An EventBridge rule on every "SageMaker Model Package State Change" of this group (registered, approved,
   * rejected, changed).
   */
  onStateChange(id: string, options?: events.OnEventOptions): events.Rule;

  /** An EventBridge rule on versions of this group reaching `Approved`: a deploy pipeline's trigger. */
  onApproved(id: string, options?: events.OnEventOptions): events.Rule;
}
