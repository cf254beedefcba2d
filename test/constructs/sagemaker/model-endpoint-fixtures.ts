import { CfnResource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IApprovedModel } from '../../../constructs/registry/i-approved-model';
import { APPROVED_MODEL_RESOURCE_TYPE } from '../../../lib/policy/rules/aws/sagemaker/model-image-pinned';

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

/**
 * An approved model as the registry's resolver renders it: a custom resource of the resolver's type whose attributes
 * are known at deploy time only. Stands in for the registry's ApprovedModel, which these tests consume through the
 * interface.
 */
export class ResolvedApprovedModel extends Construct implements IApprovedModel {
  public readonly modelPackageArn: string;
  public readonly imageUri: string;
  public readonly modelDataUrl: string;
  public readonly modelPackageGroupName = 'fraud-detection';

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const resource = new CfnResource(this, 'Resource', {
      type: APPROVED_MODEL_RESOURCE_TYPE,
      properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:approved-model-resolver', ModelPackageGroupName: this.modelPackageGroupName },
    });
    this.modelPackageArn = resource.getAtt('ModelPackageArn').toString();
    this.imageUri = resource.getAtt('ImageUri').toString();
    this.modelDataUrl = resource.getAtt('ModelDataUrl').toString();
  }
}
