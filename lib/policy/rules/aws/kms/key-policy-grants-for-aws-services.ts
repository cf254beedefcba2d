import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject } from '../../../document';
import { conditionValues, isWildcardPrincipal, PolicyStatement, statementCovers } from '../../../policy-document';
import { defineRule, fail, pass, RuleOutcome, unresolvable } from '../../../rule';
import { accountRoots, keyPolicyStatements } from './key-policy';

const ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] };
const ROOT_STATEMENT = { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };
const TRAINER = 'arn:aws:iam::111122223333:role/trainer';
const keyWith = (...statements: unknown[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: { EnableKeyRotation: true, KeyPolicy: { Version: '2012-10-17', Statement: statements } },
});
const FOR_AWS_RESOURCE = { Bool: { 'kms:GrantIsForAWSResource': 'true' } };

/** MLOPS-KMS-003: key policies let principals create grants only for AWS services. */
export default defineRule({
  id: 'MLOPS-KMS-003',
  title: 'KMS key policy allows CreateGrant only for AWS services',
  resourceTypes: ['AWS::KMS::Key'],
  severity: 'high',
  themes: ['KEY', 'IAM'],
  acknowledgeable: true,
  rationale:
    'A grant hands key permissions to another principal outside the key policy, and grants are not listed in the ' +
    'template or in IAM. A principal allowed kms:CreateGrant without kms:GrantIsForAWSResource can grant Decrypt ' +
    'to anyone; with the condition it can only let an integrated AWS service (EBS, SageMaker, RDS) use the key on ' +
    'its behalf. The account root statement (CDK and KMS default) is exempt: it delegates to IAM, whose policies ' +
    'then decide and are checked by the IAM rules. A root of a literal account id is exempt too (it is the own ' +
    'account of an env-pinned stack, or a deliberate cross-account delegation) and is named in the pass note.',
  fix:
    'Add Condition {Bool: {kms:GrantIsForAWSResource: true}} to every key policy statement that allows ' +
    'kms:CreateGrant (kms:*, kms:Create*, *) to a principal other than the account root (KeyPolicy.Statement[].Condition; ' +
    'in CDK, addToResourcePolicy with conditions), or add the Control Tower statement {Effect: Deny, Principal: *, ' +
    'Action: kms:CreateGrant, Condition: {BoolIfExists: {kms:GrantIsForAWSResource: false, aws:PrincipalIsAWSService: false}}}.',
  references: [
    'Control Tower CT.KMS.PR.3',
    'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource',
    'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam',
  ],
  scenarios: [
    { name: 'CDK default key policy (account root only)', expect: 'pass', resource: keyWith(ROOT_STATEMENT) },
    { name: 'no KeyPolicy (KMS default policy)', expect: 'pass', resource: { Type: 'AWS::KMS::Key', Properties: {} } },
    {
      name: 'root of a literal account (env-pinned stack), passed with a note',
      expect: 'pass',
      resource: keyWith({ ...ROOT_STATEMENT, Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } } }),
    },
    {
      name: 'a role may create grants for AWS resources only',
      expect: 'pass',
      resource: keyWith(ROOT_STATEMENT, {
        Effect: 'Allow', Principal: { AWS: TRAINER }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: FOR_AWS_RESOURCE,
      }),
    },
    {
      name: 'a role may use the key but not create grants',
      expect: 'pass',
      resource: keyWith(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: TRAINER }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' }),
    },
    {
      name: 'the Control Tower deny statement limits every CreateGrant',
      expect: 'pass',
      resource: keyWith(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: TRAINER }, Action: 'kms:*', Resource: '*' }, {
        Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    },
    {
      name: 'a role with kms:* and no condition',
      expect: 'fail',
      resource: keyWith(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: TRAINER }, Action: 'kms:*', Resource: '*' }),
    },
    {
      name: 'kms:Create* with kms:GrantIsForAWSResource false',
      expect: 'fail',
      resource: keyWith(ROOT_STATEMENT, {
        Effect: 'Allow', Principal: { AWS: TRAINER }, Action: 'kms:Create*', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': false } },
      }),
    },
    {
      name: 'the root statement shared with a role',
      expect: 'fail',
      resource: keyWith({ ...ROOT_STATEMENT, Principal: { AWS: [ROOT, TRAINER] } }),
    },
    {
      name: 'a deny that also exempts one role does not limit every CreateGrant',
      expect: 'fail',
      resource: keyWith(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: TRAINER }, Action: '*', Resource: '*' }, {
        Effect: 'Deny', Principal: '*', Action: 'kms:CreateGrant', Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' }, ArnNotEquals: { 'aws:PrincipalArn': TRAINER } },
      }),
    },
    {
      name: 'condition value from a parameter',
      expect: 'unresolvable',
      resource: keyWith(ROOT_STATEMENT, {
        Effect: 'Allow', Principal: { AWS: TRAINER }, Action: 'kms:CreateGrant', Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': { Ref: 'ForAwsOnly' } } },
      }),
    },
    {
      name: 'principal from a parameter (root or not)',
      expect: 'unresolvable',
      resource: keyWith(ROOT_STATEMENT, { Effect: 'Allow', Principal: { AWS: { Ref: 'Admin' } }, Action: 'kms:*', Resource: '*' }),
    },
  ],
  evaluate(key, ctx) {
    const statements = keyPolicyStatements(key, ctx);
    const guard = statements.find((s) => limitsAllGrantsToAwsServices(s, ctx));
    if (guard) return pass(`statement ${guard.index} denies kms:CreateGrant unless it is for an AWS resource or by an AWS service`);
    const outcomes: RuleOutcome[] = [];
    const otherAccounts = new Set<string>();
    for (const statement of statements) {
      if (statement.effect !== 'Allow' || !statementCovers(statement, 'kms:CreateGrant')) continue;
      try {
        const roots = statement.notPrincipal === undefined ? accountRoots(statement.principal, statement.path, ctx) : undefined;
        if (roots) {
          roots.filter((r) => !r.own).forEach((r) => otherAccounts.add(r.account ?? 'an account given at deploy'));
          continue;
        }
        const values = conditionValues(statement, /^Bool$/, 'kms:GrantIsForAWSResource');
        const path = `${statement.path}/Condition/Bool/kms:GrantIsForAWSResource`;
        if (values.length === 0 || !values.every((v, i) => ctx.bool(v, values.length > 1 ? `${path}/${i}` : path) === true)) {
          outcomes.push(fail(statement.path, `statement ${statement.index} allows kms:CreateGrant to ${describePrincipal(statement)} without Condition Bool kms:GrantIsForAWSResource true`));
        }
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        outcomes.push(unresolvable(e.path, e.message));
      }
    }
    if (outcomes.length > 0) return outcomes;
    return otherAccounts.size > 0
      ? pass(`kms:CreateGrant is delegated to the IAM policies of the root of ${[...otherAccounts].join(', ')}; confirm it is this stack's account`)
      : pass();
  },
});

/**
 * The Control Tower CT.KMS.PR.3 pattern: a Deny of kms:CreateGrant to everyone whose only conditions are
 * kms:GrantIsForAWSResource false (and optionally aws:PrincipalIsAWSService false). Any other condition key
 * narrows the deny and leaves some grants open.
 */
function limitsAllGrantsToAwsServices(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.effect !== 'Deny' || !statementCovers(statement, 'kms:CreateGrant') || !isWildcardPrincipal(statement.principal)) return false;
  const allowed = new Set(['kms:grantisforawsresource', 'aws:principalisawsservice']);
  const entries = Object.entries(statement.condition).flatMap(([operator, body]) =>
    isPlainObject(body) ? Object.entries(body).map(([key, value]) => ({ operator, key: key.toLowerCase(), value })) : [{ operator, key: '?', value: undefined }],
  );
  if (!entries.some((e) => e.key === 'kms:grantisforawsresource')) return false;
  return entries.every((e) => {
    if (!/^Bool(IfExists)?$/.test(e.operator) || !allowed.has(e.key)) return false;
    try {
      return [e.value].flat().every((v) => ctx.bool(v, statement.path) === false);
    } catch (err) {
      // A guard that depends on a parameter cannot be relied on; the Allow statements are judged on their own.
      if (err instanceof Unresolvable) return false;
      throw err;
    }
  });
}

function describePrincipal(statement: PolicyStatement): string {
  if (statement.notPrincipal !== undefined) return 'everyone but the NotPrincipal';
  if (isWildcardPrincipal(statement.principal)) return 'every principal (*)';
  const named = isPlainObject(statement.principal) ? Object.values(statement.principal).flatMap((v) => [v].flat()) : [];
  const literals = named.filter((v): v is string => typeof v === 'string');
  return literals.length > 0 ? literals.join(', ') : 'a principal other than the account root';
}
