import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import rule from '../../../../../lib/policy/rules/aws/kms/key-policy-wildcard-principal';
import { itBehavesAsItsScenariosSay, outcomesOnStack, verdictsOnStack } from '../../../rule-harness';

describe('MLOPS-KMS-002 no unconditioned wildcard principal in the key policy', () => {
  itBehavesAsItsScenariosSay(rule);

  // One app for every CDK fixture of this file: synthesis is the slow part.
  const stack = new Stack(new App(), 'Fixtures');
  new kms.Key(stack, 'Compliant', { enableKeyRotation: true });
  const scoped = new kms.Key(stack, 'Scoped', { enableKeyRotation: true });
  scoped.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'],
    conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
  }));
  const open = new kms.Key(stack, 'Open', { enableKeyRotation: true });
  open.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }));
  const overridden = new kms.Key(stack, 'Overridden', { enableKeyRotation: true });
  (overridden.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy.Statement.0.Principal', { AWS: '*' });
  new kms.CfnKey(stack, 'RawCfn', {
    keyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }] },
  });
  new kms.CfnKey(stack, 'RawCfnDefault', {});
  const verdicts = Object.entries(verdictsOnStack(rule, stack));
  const verdictOf = (prefix: string) => verdicts.find(([id]) => id.startsWith(prefix))?.[1];

  it('passes the CDK default key policy, and a wildcard scoped by a condition', () => {
    expect(verdictOf('Compliant')).toBe('pass');
    expect(verdictOf('Scoped')).toBe('pass');
  });
  it('fails AnyPrincipal without a condition, at the statement', () => {
    expect(outcomesOnStack(rule, stack, 'Open')).toEqual([
      { status: 'fail', path: 'Properties/KeyPolicy/Statement/1', message: 'statement 1 allows kms:Decrypt to Principal * with no Condition' },
    ]);
  });
  it('judges raw CfnKeys on their rendered properties', () => {
    expect(verdictOf('RawCfn')).toBe('fail');
    expect(verdictOf('RawCfnDefault')).toBe('pass');
  });
  it('fails the root statement overridden to {AWS: *} (reads the rendered template)', () => {
    expect(outcomesOnStack(rule, stack, 'Overridden')).toEqual([
      expect.objectContaining({ status: 'fail', path: 'Properties/KeyPolicy/Statement/0' }),
    ]);
  });
});
