import { EvaluationContext } from '../../../context';
import { allowsEveryone, PolicyStatement } from '../../../policy-document';
import { defineRule, fail, pass, RuleOutcome } from '../../../rule';
import { keyPolicyStatements } from './key-policy';

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const keyWith = (...statements: unknown[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    EnableKeyRotation: true,
    KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }, ...statements] },
  },
});

/** MLOPS-KMS-002: no key policy statement allows every principal without a condition. */
export default defineRule({
  id: 'MLOPS-KMS-002',
  title: 'KMS key policy allows no wildcard principal without a condition',
  resourceTypes: ['AWS::KMS::Key'],
  severity: 'critical',
  themes: ['IAM', 'KEY'],
  acknowledgeable: true,
  rationale:
    'A key policy is the only policy KMS always consults. An Allow for Principal * with no condition lets any ' +
    'AWS account (any authenticated principal anywhere) use or manage the key, so whoever holds a copy of the ' +
    'ciphertext can decrypt the data it protects. A wildcard principal is only safe when a condition ' +
    '(aws:PrincipalOrgID, kms:CallerAccount with kms:ViaService, aws:SourceAccount) narrows it.',
  fix:
    'Name the principals in the statement (kms.Key grant*() methods or addToResourcePolicy with specific iam ' +
    'principals), or add a Condition that scopes the wildcard (KeyPolicy.Statement[].Condition, e.g. ' +
    '{StringEquals: {kms:CallerAccount: <account>}}).',
  references: [
    'AWS Config kms-key-policy-no-public-access',
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html',
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html',
  ],
  scenarios: [
    { name: 'CDK default key policy (account root only)', expect: 'pass', resource: keyWith() },
    { name: 'no KeyPolicy (KMS default policy)', expect: 'pass', resource: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } },
    {
      name: 'wildcard principal scoped to the caller account through a service',
      expect: 'pass',
      resource: keyWith({
        Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': { Ref: 'AWS::AccountId' }, 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      }),
    },
    {
      name: 'a wildcard Deny is not a grant',
      expect: 'pass',
      resource: keyWith({ Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion', Resource: '*' }),
    },
    {
      name: 'Principal "*" without a condition',
      expect: 'fail',
      resource: keyWith({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }),
    },
    {
      name: 'Principal {AWS: "*"} in a list, with an empty Condition',
      expect: 'fail',
      resource: keyWith({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/trainer', '*'] }, Action: 'kms:*', Resource: '*', Condition: {} }),
    },
    {
      name: 'Allow with NotPrincipal (everyone but the listed principals)',
      expect: 'fail',
      resource: keyWith({ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/intruder' }, Action: 'kms:Decrypt', Resource: '*' }),
    },
    {
      name: 'principal from a parameter (may be "*")',
      expect: 'unresolvable',
      resource: keyWith({ Effect: 'Allow', Principal: { AWS: { Ref: 'ConsumerPrincipal' } }, Action: 'kms:Decrypt', Resource: '*' }),
    },
    {
      name: 'wildcard principal whose condition depends on a template condition',
      expect: 'unresolvable',
      resource: keyWith({
        Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*',
        Condition: { 'Fn::If': ['Shared', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }, { Ref: 'AWS::NoValue' }] },
      }),
    },
  ],
  evaluate(key, ctx) {
    const outcomes: RuleOutcome[] = [];
    for (const statement of keyPolicyStatements(key, ctx)) {
      if (statement.effect !== 'Allow' || !allowsEveryone(statement, ctx)) continue;
      if (hasCondition(statement, ctx)) continue;
      const who = statement.notPrincipal !== undefined ? 'NotPrincipal (everyone but the listed principals)' : 'Principal *';
      const actions = statement.actions?.join(', ') ?? 'every action but its NotAction';
      outcomes.push(fail(statement.path, `statement ${statement.index} allows ${actions} to ${who} with no Condition`));
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});

/** True when the statement carries a condition; throws `Unresolvable` when it is a `Fn::If` that may remove it. */
function hasCondition(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  const condition = statement.condition;
  return ctx.isPresent(condition, `${statement.path}/Condition`) && Object.keys(condition).length > 0;
}
