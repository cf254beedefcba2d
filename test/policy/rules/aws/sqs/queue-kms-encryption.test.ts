import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import rule from '../../../../../lib/policy/rules/aws/sqs/queue-kms-encryption';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-SQS-001 queue encrypted with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const key = new kms.Key(stack, 'EventKey', { enableKeyRotation: true });
  const compliant = new sqs.Queue(stack, 'Compliant', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  const defaults = new sqs.Queue(stack, 'Defaults');
  const sqsManaged = new sqs.Queue(stack, 'SqsManaged', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  const awsManaged = new sqs.Queue(stack, 'AwsManaged', { encryption: sqs.QueueEncryption.KMS_MANAGED });
  const raw = new sqs.CfnQueue(stack, 'Raw', { sqsManagedSseEnabled: true });
  const overridden = new sqs.Queue(stack, 'Overridden', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
  (overridden.node.defaultChild as sqs.CfnQueue).addPropertyOverride('KmsMasterKeyId', 'alias/aws/sqs');
  const verdicts = verdictsOnStack(rule, stack);

  it('passes a CDK queue with a customer-managed key', () => expect(verdicts[idOf(compliant)]).toBe('pass'));
  it('fails the CDK default, SQS-managed SSE and the AWS-managed key', () => {
    expect(outcomesOnStack(rule, stack, idOf(defaults))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/KmsMasterKeyId' })]);
    expect(outcomesOnStack(rule, stack, idOf(sqsManaged))).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/SqsManagedSseEnabled' })]);
    expect(verdicts[idOf(awsManaged)]).toBe('fail');
  });
  it('fails a raw CfnQueue with SQS-managed SSE', () => expect(verdicts[stack.getLogicalId(raw)]).toBe('fail'));
  it('fails a compliant queue broken with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, idOf(overridden))).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KmsMasterKeyId', message: 'alias/aws/sqs is the AWS-managed key, not a customer-managed one' }),
    ]);
  });
});
