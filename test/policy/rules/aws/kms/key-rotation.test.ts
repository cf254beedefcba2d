import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/kms/key-rotation';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-KMS-001 key rotation', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new kms.Key(stack, 'Compliant', { enableKeyRotation: true });
  new kms.Key(stack, 'Yearly', { enableKeyRotation: true, rotationPeriod: Duration.days(180) });
  new kms.Key(stack, 'NotRotated');
  new kms.Key(stack, 'Signing', { keySpec: kms.KeySpec.ECC_NIST_P256, keyUsage: kms.KeyUsage.SIGN_VERIFY });
  const overridden = new kms.Key(stack, 'Overridden', { enableKeyRotation: true });
  (overridden.node.defaultChild as kms.CfnKey).addPropertyOverride('EnableKeyRotation', false);
  new kms.CfnKey(stack, 'RawCfn', {});
  new kms.CfnKey(stack, 'RawCfnRotated', { enableKeyRotation: true });
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes CDK keys with enableKeyRotation (and a rotation period)', () => {
    expect(verdictOf('Compliant')).toBe('pass');
    expect(verdictOf('Yearly')).toBe('pass');
  });
  it('fails a CDK key left at the default (no rotation)', () => {
    expect(outcomesOnStack(rule, stack, 'NotRotated')).toEqual([
      { status: 'fail', path: 'Properties/EnableKeyRotation', message: 'EnableKeyRotation is unset: the key material never rotates' },
    ]);
  });
  it('is not applicable to an asymmetric signing key', () => expect(verdictOf('Signing')).toBe('not-applicable'));
  it('judges raw CfnKeys on their rendered properties', () => {
    expect(verdictOf('RawCfnRotated')).toBe('pass');
    expect(verdictOf('RawCfn')).toBe('fail');
  });
  it('fails a rotating key overridden to EnableKeyRotation false (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/EnableKeyRotation', message: 'EnableKeyRotation is false: the key material never rotates' }),
    ]);
  });
});
