import { EvaluationContext, Unresolvable, describeIntrinsic } from '../../../context';
import { isPlainObject } from '../../../document';
import { asList, PolicyStatement, readStatements } from '../../../policy-document';
import { defineRule, fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';
import { isWildcardValue } from '../../../policy-document';

/** MLOPS-ECR-005: no repository policy lets anyone use the repository without a condition. */
export default defineRule({
  id: 'MLOPS-ECR-005',
  title: 'ECR repository policy does not allow everyone (Principal *) without a condition',
  resourceTypes: ['AWS::ECR::Repository'],
  severity: 'high',
  themes: ['IAM'],
  acknowledgeable: true,
  rationale:
    'A repository policy that allows Principal * without a condition opens the repository to every AWS account: ' +
    'anyone can pull the model images (and the weights inside them) and, with push actions, replace what endpoints ' +
    'run. Access must be limited to named accounts or roles, or conditioned on the organization.',
  fix:
    'Grant named principals (repository.grantPull(new iam.AccountPrincipal(...)), or addToResourcePolicy with ' +
    'specific principals), or add a condition such as aws:PrincipalOrgID to any Principal * statement ' +
    '(RepositoryPolicyText.Statement[].Principal / Condition).',
  references: [
    'cdk-nag AwsSolutions-ECR1',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html',
  ],
  scenarios: [
    {
      name: 'pull for one account',
      expect: 'pass',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryPolicyText: {
            Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage'], Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] } } }],
          },
        },
      },
    },
    {
      name: 'Principal * limited to the organization',
      expect: 'pass',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: {
          RepositoryPolicyText: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }],
          }),
        },
      },
    },
    {
      name: 'Principal * without a condition',
      expect: 'fail',
      resource: { Type: 'AWS::ECR::Repository', Properties: { RepositoryPolicyText: { Statement: [{ Effect: 'Allow', Action: 'ecr:*', Principal: '*' }] } } },
    },
    {
      name: 'Principal {AWS: *} in a JSON string policy',
      expect: 'fail',
      resource: {
        Type: 'AWS::ECR::Repository',
        Properties: { RepositoryPolicyText: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Principal: { AWS: ['*'] } }] }) },
      },
    },
    {
      name: 'principal from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::ECR::Repository', Properties: { RepositoryPolicyText: { Statement: [{ Effect: 'Allow', Action: 'ecr:BatchGetImage', Principal: { AWS: { Ref: 'Puller' } } }] } } },
    },
    { name: 'no repository policy', expect: 'not-applicable', resource: { Type: 'AWS::ECR::Repository', Properties: {} } },
  ],
  evaluate(repository, ctx) {
    const path = 'Properties/RepositoryPolicyText';
    if (!ctx.isPresent(repository.properties.RepositoryPolicyText, path)) return notApplicable('the repository has no repository policy');
    const outcomes: RuleOutcome[] = [];
    for (const statement of readStatements(repository.properties.RepositoryPolicyText, path, ctx)) {
      if (statement.effect !== 'Allow') continue;
      try {
        if (allowsEveryone(statement, ctx) && !hasCondition(statement)) {
          const who = statement.notPrincipal !== undefined ? 'everyone outside NotPrincipal' : 'Principal *';
          outcomes.push(fail(statement.path, `the statement allows ${who} with no Condition`));
        }
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        outcomes.push(unresolvable(e.path, e.message));
      }
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});

/**
 * True when the statement's principal includes everyone: `*`, `{AWS: "*"}`, or a NotPrincipal (everyone but the
 * listed). Throws `Unresolvable` when a principal is an intrinsic that might be `*`.
 */
function allowsEveryone(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.notPrincipal !== undefined) return true;
  const principal = statement.principal;
  const path = `${statement.path}/Principal`;
  if (principal === undefined) return false;
  if (!isPlainObject(principal) || isIntrinsic(principal)) return isWildcardValue(principal, path, ctx);
  const aws = asList(principal.AWS);
  return aws.includes('*') || aws.some((p) => isWildcardValue(p, `${path}/AWS`, ctx));
}

/** True when the statement has a condition; an intrinsic in its place may resolve to none, so it is unresolvable. */
function hasCondition(statement: PolicyStatement): boolean {
  if (isIntrinsic(statement.condition)) throw new Unresolvable(`${statement.path}/Condition`, describeIntrinsic(statement.condition));
  return Object.keys(statement.condition).length > 0;
}

function isIntrinsic(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}
