import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject } from '../../../document';
import { allowsEveryone, asList, conditionValues, PolicyStatement, readStatements, statementCovers } from '../../../policy-document';
import { defineRule, fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';

const GROUP = 'AWS::SageMaker::ModelPackageGroup';
const PATH = 'Properties/ModelPackageGroupPolicy';
const UPDATE = 'sagemaker:UpdateModelPackage';
/** Condition keys that narrow a wildcard principal to an organization, account or named principals. */
const SCOPING_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn'];

const root = (account: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', account, ':root']] });
const versions = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':model-package/credit-risk/*']] };
const groupWith = (...statements: unknown[]) => ({
  Type: GROUP,
  Properties: { ModelPackageGroupName: 'credit-risk', ModelPackageGroupPolicy: { Version: '2012-10-17', Statement: statements } },
});
const read = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow', Principal: principal, Action: ['sagemaker:DescribeModelPackage', 'sagemaker:ListModelPackages'], Resource: versions, ...extra,
});

/** MLOPS-SM-010: a model package group's policy names its principals and lets no other account approve or reject. */
export default defineRule({
  id: 'MLOPS-SM-010',
  title: 'SageMaker model package group policy allows no wildcard principal and no cross-account UpdateModelPackage',
  resourceTypes: [GROUP],
  severity: 'high',
  themes: ['IAM', 'SOD'],
  acknowledgeable: true,
  rationale:
    'The group policy is how other accounts reach a model registry. A Principal * opens every version (model ' +
    'artifacts, lineage, metrics) to any AWS account. sagemaker:UpdateModelPackage changes a version\'s approval ' +
    'status: granting it to another account moves the approval of this account\'s models out of reach of its ' +
    'approval workflow, where no registrant/approver separation applies (SR 11-7 effective challenge, NIST AC-5). ' +
    'Other accounts should only read; approvals belong to this account\'s approver role.',
  fix:
    'List the reading accounts (ModelRegistry readAccounts, which grants DescribeModelPackageGroup, DescribeModelPackage ' +
    'and ListModelPackages only) or scope a Principal * with aws:PrincipalOrgID; never grant sagemaker:UpdateModelPackage ' +
    '(or sagemaker:*) in the group policy: approve with this account\'s approver role (ApprovalWorkflow). In ' +
    'CloudFormation: AWS::SageMaker::ModelPackageGroup ModelPackageGroupPolicy.Statement[].Principal/Action.',
  references: [
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sagemaker-modelpackagegroup.html',
    'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html',
    'https://www.federalreserve.gov/supervisionreg/srletters/sr1107.htm',
  ],
  scenarios: [
    { name: 'read for one named account', expect: 'pass', resource: groupWith(read({ AWS: root('444455556666') })) },
    {
      name: 'Principal * scoped to the organization, read only',
      expect: 'pass',
      resource: groupWith(read('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } })),
    },
    {
      name: 'UpdateModelPackage for this account only (delegated to its IAM policies)',
      expect: 'pass',
      resource: groupWith({ Effect: 'Allow', Principal: { AWS: root({ Ref: 'AWS::AccountId' }) }, Action: UPDATE, Resource: versions }),
    },
    {
      name: 'policy as a JSON string, read for one account',
      expect: 'pass',
      resource: {
        Type: GROUP,
        Properties: {
          ModelPackageGroupName: 'credit-risk',
          ModelPackageGroupPolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sagemaker:DescribeModelPackage', Resource: '*' }] }),
        },
      },
    },
    {
      name: 'a Deny for everyone is not a grant',
      expect: 'pass',
      resource: groupWith({ Effect: 'Deny', Principal: '*', Action: UPDATE, Resource: versions }),
    },
    { name: 'Principal * without a condition', expect: 'fail', resource: groupWith(read('*')) },
    {
      name: 'Principal {AWS: *} with a condition that does not scope principals',
      expect: 'fail',
      resource: groupWith(read({ AWS: ['*'] }, { Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
    },
    {
      name: 'Allow with NotPrincipal (everyone but the listed)',
      expect: 'fail',
      resource: groupWith({ Effect: 'Allow', NotPrincipal: { AWS: root('444455556666') }, Action: 'sagemaker:DescribeModelPackage', Resource: versions }),
    },
    {
      name: 'UpdateModelPackage for another account',
      expect: 'fail',
      resource: groupWith({ Effect: 'Allow', Principal: { AWS: root('444455556666') }, Action: ['sagemaker:DescribeModelPackage', UPDATE], Resource: versions }),
    },
    {
      name: 'sagemaker:* for another account role (covers UpdateModelPackage)',
      expect: 'fail',
      resource: groupWith({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/approver' }, Action: 'sagemaker:*', Resource: versions }),
    },
    {
      name: 'UpdateModelPackage for a principal from a parameter',
      expect: 'unresolvable',
      resource: groupWith({ Effect: 'Allow', Principal: { AWS: { Ref: 'ApproverArn' } }, Action: UPDATE, Resource: versions }),
    },
    { name: 'read for a principal from a parameter (may be *)', expect: 'unresolvable', resource: groupWith(read({ AWS: { Ref: 'ReaderArn' } })) },
    { name: 'no group policy', expect: 'not-applicable', resource: { Type: GROUP, Properties: { ModelPackageGroupName: 'credit-risk' } } },
  ],
  evaluate(group, ctx) {
    if (!ctx.isPresent(group.properties.ModelPackageGroupPolicy, PATH)) return notApplicable('the group has no resource policy');
    const outcomes: RuleOutcome[] = [];
    for (const statement of readStatements(group.properties.ModelPackageGroupPolicy, PATH, ctx)) {
      if (statement.effect !== 'Allow') continue;
      try {
        const everyone = allowsEveryone(statement, ctx);
        if (everyone && !scopedByCondition(statement, ctx)) {
          const who = statement.notPrincipal !== undefined ? 'NotPrincipal (everyone but the listed principals)' : 'Principal * (every AWS account)';
          outcomes.push(fail(statement.path, `statement ${statement.index} allows ${actionsOf(statement)} to ${who} with no condition on ${SCOPING_KEYS.join(', ')}`));
        }
        if (statementCovers(statement, UPDATE)) {
          const outsider = everyone ? 'every principal it admits' : principalOutsideAccount(statement, ctx);
          if (outsider) {
            outcomes.push(fail(statement.path,
              `statement ${statement.index} allows ${UPDATE} (approving or rejecting versions) to ${outsider}, outside this account's approval workflow`));
          }
        }
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        outcomes.push(unresolvable(e.path, e.message));
      }
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});

function actionsOf(statement: PolicyStatement): string {
  return statement.actions ? statement.actions.join(', ') : `every action but ${statement.notActions?.join(', ')}`;
}


/** True when a condition narrows the principals to an organization, accounts or ARNs. */
function scopedByCondition(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  ctx.literal(statement.condition, `${statement.path}/Condition`);
  return SCOPING_KEYS.some((key) => conditionValues(statement, /./, key).length > 0);
}

/**
 * The first principal of the statement that is not provably of this account (a service, a literal account id, a
 * federated identity), described; undefined when all are this account's. A deploy-time value throws `Unresolvable`.
 */
function principalOutsideAccount(statement: PolicyStatement, ctx: EvaluationContext): string | undefined {
  const path = `${statement.path}/Principal`;
  const principal = ctx.literal(statement.principal, path);
  if (!isPlainObject(principal)) return `the principal ${JSON.stringify(principal)}`;
  for (const [type, values] of Object.entries(principal)) {
    if (type !== 'AWS') return `the ${type} principal ${JSON.stringify(values)}`;
    const many = Array.isArray(values);
    for (const [i, value] of asList(values).entries()) {
      const text = ownAccountText(value, many ? `${path}/AWS/${i}` : `${path}/AWS`, ctx);
      if (text === undefined) continue;
      if (text !== OWN && !new RegExp(`^arn:[^:]+:(iam|sts)::${escape(OWN)}:`).test(text)) return text;
    }
  }
  return undefined;
}

/** Stands for `AWS::AccountId`; braces never occur in an ARN. */
const OWN = '{this-account}';

/**
 * A principal's text with `AWS::AccountId` as `OWN` and `AWS::Partition` as `aws`; undefined for a role or user of the
 * app (a cross-stack reference cannot cross accounts). Any other deploy-time value throws `Unresolvable`.
 */
function ownAccountText(value: unknown, path: string, ctx: EvaluationContext): string | undefined {
  if (typeof value === 'string') return value;
  if (ctx.locate(value)) return undefined;
  if (isPlainObject(value)) {
    if (value.Ref === 'AWS::AccountId') return OWN;
    if (value.Ref === 'AWS::Partition') return 'aws';
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map((part: unknown, i: number) => ownAccountText(part, `${path}/Fn::Join/1/${i}`, ctx) ?? '').join(join[0]);
    }
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') {
      return sub.replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
        if (name === 'AWS::AccountId') return OWN;
        if (name === 'AWS::Partition') return 'aws';
        throw new Unresolvable(path, `a Fn::Sub of \${${name}}`);
      });
    }
  }
  return ctx.string(value, path);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
