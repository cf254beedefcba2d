import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import rule from '../../../../../lib/policy/rules/aws/logs/log-group-encryption-kms';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-LOGS-001 log group encrypted with a customer-managed key', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
  new logs.LogGroup(stack, 'Compliant', { encryptionKey: key });
  new logs.LogGroup(stack, 'Unencrypted');
  const overridden = new logs.LogGroup(stack, 'Overridden', { encryptionKey: key });
  (overridden.node.defaultChild as logs.CfnLogGroup).addPropertyOverride('KmsKeyId', { Ref: 'AWS::NoValue' });
  new logs.CfnLogGroup(stack, 'RawCfn', { retentionInDays: 365 });
  new logs.CfnLogGroup(stack, 'RawEncrypted', { kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes a logs.LogGroup with an encryptionKey', () => expect(verdictOf('Compliant')).toBe('pass'));
  it('fails the logs.LogGroup default', () => {
    expect(outcomesOnStack(rule, stack, 'Unencrypted')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KmsKeyId', message: expect.stringContaining('KmsKeyId is unset') }),
    ]);
  });
  it('judges raw CfnLogGroups by KmsKeyId', () => {
    expect(verdictOf('RawCfn')).toBe('fail');
    expect(verdictOf('RawEncrypted')).toBe('pass');
  });
  it('fails an encrypted log group whose key is removed with addPropertyOverride (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([expect.objectContaining({ status: 'fail', path: 'Properties/KmsKeyId' })]);
  });
});
