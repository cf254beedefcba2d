import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject } from '../../../document';
import { defineRule, fail, notApplicable, pass, unresolvable } from '../../../rule';
import { appliesToEveryResource, checkAllowStatements, IDENTITY_POLICY_RESOURCE_TYPES, IDENTITY_TYPES } from './identity-policies';

/** `*`, `*:*` (and their doubled forms): every action of every service. */
const EVERY_ACTION = /^\*+(:\*+)?$/;

/** The AWS managed AdministratorAccess policy in any partition; `{Partition}` stands for `${AWS::Partition}`. */
const ADMINISTRATOR_ACCESS = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;

/** MLOPS-IAM-001: no identity policy grants every action on every resource. */
export default defineRule({
  id: 'MLOPS-IAM-001',
  title: 'IAM policies grant no administrator access (Action * on Resource *)',
  resourceTypes: IDENTITY_POLICY_RESOURCE_TYPES,
  severity: 'critical',
  themes: ['IAM'],
  acknowledgeable: true,
  rationale:
    'A principal allowed every action on every resource can read regulated data, disable the audit trail, schedule ' +
    'keys for deletion and approve its own models: least privilege and separation of duties no longer hold. A ' +
    'pipeline or endpoint role with AdministratorAccess turns any compromise of that workload into an account takeover.',
  fix:
    'Grant the actions the workload needs on the resources it uses (iam.PolicyStatement actions/resources, or the ' +
    'construct grant* methods), not actions: ["*"] with resources: ["*"] (PolicyDocument.Statement[].Action/Resource, ' +
    'NotAction/NotResource). Do not attach iam.ManagedPolicy.fromAwsManagedPolicyName("AdministratorAccess") ' +
    '(ManagedPolicyArns); use a customer managed policy scoped to the task.',
  references: [
    'AWS Config iam-policy-no-statements-with-admin-access',
    'Control Tower CT.IAM.PR.1 (inline policies), CT.IAM.PR.2 (managed policies)',
    'cdk-nag IAMPolicyNoStatementsWithAdminAccess (HIPAA, NIST 800-53, PCI DSS packs)',
    'https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-admin-access.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  scenarios: [
    {
      name: 'policy scoped to one bucket',
      expect: 'pass',
      resource: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'read-artifacts',
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Artifacts', 'Arn'] }, '/*']] } }] },
          Roles: [{ Ref: 'Role' }],
        },
      },
      others: { Artifacts: { Type: 'AWS::S3::Bucket', Properties: {} }, Role: { Type: 'AWS::IAM::Role', Properties: {} } },
    },
    {
      name: 'role with a scoped inline policy and a non-admin managed policy',
      expect: 'pass',
      resource: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [{ PolicyName: 'logs', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] } }],
          ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
        },
      },
    },
    {
      name: 'Deny of every action on every resource',
      expect: 'pass',
      resource: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] } } },
    },
    {
      name: 'Allow * on *',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'admin', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
    },
    {
      name: 'managed policy with Allow *:* on *',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['*:*'], Resource: ['*'] }] } } },
    },
    {
      name: 'user inline policy with Allow NotAction on *',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::User', Properties: { Policies: [{ PolicyName: 'power', PolicyDocument: { Statement: [{ Effect: 'Allow', NotAction: ['iam:*'], Resource: '*' }] } }] } },
    },
    {
      name: 'role attaching AdministratorAccess (partition-aware Fn::Join)',
      expect: 'fail',
      resource: {
        Type: 'AWS::IAM::Role',
        Properties: { ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AdministratorAccess']] }] },
      },
    },
    {
      name: 'group attaching AdministratorAccess by literal ARN',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::Group', Properties: { ManagedPolicyArns: ['arn:aws-us-gov:iam::aws:policy/AdministratorAccess'] } },
    },
    {
      name: 'Allow * on a resource chosen by a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: { Ref: 'TargetArn' } }] } } },
    },
    {
      name: 'managed policy ARN from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: [{ Ref: 'PolicyArn' }] } },
    },
    { name: 'role without policies', expect: 'not-applicable', resource: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } },
  ],
  evaluate(resource, ctx) {
    const props = resource.properties;
    const isIdentity = IDENTITY_TYPES.includes(resource.type);
    const managedArns = isIdentity ? (ctx.array(props.ManagedPolicyArns, 'Properties/ManagedPolicyArns') ?? []) : [];
    if (isIdentity && managedArns.length === 0 && (ctx.array(props.Policies, 'Properties/Policies') ?? []).length === 0) {
      return notApplicable(`the ${resource.type.split('::')[2].toLowerCase()} has no inline or managed policies`);
    }
    const outcomes = checkAllowStatements(resource, ctx, (statement) => {
      const everyAction = statement.notActions !== undefined || (statement.actions ?? []).some((a) => EVERY_ACTION.test(a));
      if (!everyAction || !appliesToEveryResource(statement, ctx)) return undefined;
      const actions = statement.notActions
        ? `every action except ${statement.notActions.join(', ')}`
        : `every action (${(statement.actions ?? []).filter((a) => EVERY_ACTION.test(a)).join(', ')})`;
      const resources = statement.notResources ? 'every resource outside NotResource' : 'every resource (*)';
      return fail(statement.path, `the statement allows ${actions} on ${resources}`);
    });
    managedArns.forEach((arn, i) => {
      const path = `Properties/ManagedPolicyArns/${i}`;
      try {
        if (ADMINISTRATOR_ACCESS.test(arnText(arn, path, ctx) ?? '')) {
          outcomes.push(fail(path, 'the AWS managed policy AdministratorAccess is attached'));
        }
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        outcomes.push(unresolvable(e.path, e.message));
      }
    });
    return outcomes.length > 0 ? outcomes : pass();
  },
});

/**
 * A managed policy ARN as text, with pseudo parameters kept as `{Partition}`-style placeholders: they never turn a
 * customer ARN into an AWS managed one. Undefined for a policy of the app (in this template or exported by another
 * stack): customer managed, and checked on its own. Throws `Unresolvable` on anything else that is not a literal.
 */
function arnText(value: unknown, path: string, ctx: EvaluationContext): string | undefined {
  if (ctx.locate(value)) return undefined;
  if (isPlainObject(value)) {
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1]
        .map((part: unknown, i: number): string =>
          isPseudoParameter(part) ? `{${part.Ref.slice(5)}}` : (ctx.string(part, `${path}/Fn::Join/1/${i}`) ?? ''))
        .join(join[0]);
    }
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string' && !/\$\{(?!AWS::)[^!]/.test(sub)) return sub.replace(/\$\{AWS::(\w+)\}/g, '{$1}');
  }
  return ctx.string(value, path);
}

function isPseudoParameter(value: unknown): value is { Ref: string } {
  return isPlainObject(value) && typeof value.Ref === 'string' && value.Ref.startsWith('AWS::') && value.Ref !== 'AWS::NoValue';
}
