import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/ecr/repository-kms-encryption';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-ECR-001 repository encrypted with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const key = new kms.Key(stack, 'ImageKey', { enableKeyRotation: true });
  const compliant = new ecr.Repository(stack, 'Compliant', { encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key });
  const defaults = new ecr.Repository(stack, 'Defaults');
  const awsManaged = new ecr.Repository(stack, 'AwsManaged', { encryption: ecr.RepositoryEncryption.KMS });
  const raw = new ecr.CfnRepository(stack, 'Raw', { encryptionConfiguration: { encryptionType: 'AES256' } });
  const overridden = new ecr.Repository(stack, 'Overridden', { encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key });
  (overridden.node.defaultChild as ecr.CfnRepository).addPropertyDeletionOverride('EncryptionConfiguration.KmsKey');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK repository with a customer-managed key', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails the CDK default (AES256) and KMS with the AWS-managed key', () => {
    expect(outcomesOnStack(rule, stack, idOf(defaults))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/EncryptionConfiguration' })]);
    expect(outcomesOnStack(rule, stack, idOf(awsManaged))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EncryptionConfiguration/KmsKey' }),
    ]);
  });
  it('fails a raw CfnRepository with AES256', () => {
    expect(outcomesOnStack(rule, stack, stack.getLogicalId(raw))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EncryptionConfiguration/EncryptionType', message: 'EncryptionType is AES256, not KMS or KMS_DSSE' }),
    ]);
  });
  it('fails a compliant repository whose key is removed by an override (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EncryptionConfiguration/KmsKey' }),
    ]);
  });
});
