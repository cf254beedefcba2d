import { actionMatches, statementCovers } from '../../../policy-document';
import { defineRule, fail, notApplicable, pass } from '../../../rule';
import { appliesToEveryResource, checkAllowStatements, IDENTITY_POLICY_RESOURCE_TYPES, IDENTITY_TYPES } from './identity-policies';

/** Services that hold or guard regulated data, models and their keys. */
const DATA_SERVICES = ['s3', 'kms', 'sagemaker', 'dynamodb', 'secretsmanager', 'ecr', 'sqs', 'sns', 'logs', 'eks'];

/** MLOPS-IAM-002: no identity policy grants every action of a data service on every resource. */
export default defineRule({
  id: 'MLOPS-IAM-002',
  title: 'IAM policies grant no service-wide actions on data services over Resource *',
  resourceTypes: IDENTITY_POLICY_RESOURCE_TYPES,
  severity: 'high',
  themes: ['IAM'],
  acknowledgeable: true,
  rationale:
    's3:*, kms:*, sagemaker:* and the like on Resource * let one role read, rewrite or delete every dataset, model ' +
    'artifact, key, secret and queue of the account, including deleting buckets, scheduling keys for deletion and ' +
    'approving model packages. Least privilege (and a meaningful blast radius per workload) needs either the ' +
    'specific actions or the specific resources.',
  fix:
    'List the actions the workload calls (s3:GetObject, kms:Decrypt) or scope the statement to the resources it uses ' +
    '(bucket.grantRead(role), key.grantDecrypt(role), or iam.PolicyStatement resources: [bucket.arnForObjects("*")]); ' +
    'in CloudFormation, PolicyDocument.Statement[].Action without service:* / * when Resource is "*".',
  references: [
    'AWS Config iam-policy-no-statements-with-full-access',
    'Control Tower CT.IAM.PR.3 (managed policies), CT.IAM.PR.5 (inline policies)',
    'cdk-nag IAMPolicyNoStatementsWithFullAccess (HIPAA, NIST 800-53, PCI DSS packs)',
    'https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-no-statements-with-full-access.html',
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  ],
  scenarios: [
    {
      name: 's3:* scoped to one bucket',
      expect: 'pass',
      resource: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyName: 'artifacts',
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: [{ 'Fn::GetAtt': ['Artifacts', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Artifacts', 'Arn'] }, '/*']] }] }],
          },
          Roles: [{ Ref: 'Role' }],
        },
      },
      others: { Artifacts: { Type: 'AWS::S3::Bucket', Properties: {} }, Role: { Type: 'AWS::IAM::Role', Properties: {} } },
    },
    {
      name: 'specific actions on Resource *',
      expect: 'pass',
      resource: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sagemaker:DescribeEndpoint', 'ecr:GetAuthorizationToken', 'ec2:*'], Resource: '*' }] } },
      },
    },
    {
      name: 's3:* on Resource *',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:*', 'kms:Decrypt'], Resource: '*' }] } } },
    },
    {
      name: 'role inline policy with kms:* and sagemaker:* on Resource *',
      expect: 'fail',
      resource: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyName: 'ml', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['KMS:*', 'sagemaker:*'], Resource: ['*'] }] } }] },
      },
    },
    {
      name: 'Action * on Resource *',
      expect: 'fail',
      resource: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
    },
    {
      name: 'secretsmanager:* on a resource from a parameter',
      expect: 'unresolvable',
      resource: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: { Ref: 'SecretArn' } }] } } },
    },
    {
      name: 'role with only managed policies',
      expect: 'not-applicable',
      resource: { Type: 'AWS::IAM::Role', Properties: { ManagedPolicyArns: ['arn:aws:iam::111122223333:policy/scoped'] } },
    },
  ],
  evaluate(resource, ctx) {
    if (IDENTITY_TYPES.includes(resource.type) && (ctx.array(resource.properties.Policies, 'Properties/Policies') ?? []).length === 0) {
      return notApplicable(`the ${resource.type.split('::')[2].toLowerCase()} has no inline policies`);
    }
    const outcomes = checkAllowStatements(resource, ctx, (statement) => {
      const services = DATA_SERVICES.filter((service) => statementCovers(statement, `${service}:*`));
      if (services.length === 0 || !appliesToEveryResource(statement, ctx)) return undefined;
      const granted = statement.notActions
        ? `NotAction ${statement.notActions.join(', ')}`
        : `Action ${(statement.actions ?? []).filter((a) => services.some((s) => actionMatches(a, `${s}:*`))).join(', ')}`;
      const resources = statement.notResources ? 'every resource outside NotResource' : 'Resource *';
      return fail(statement.path, `${granted} allows every action of ${services.join(', ')} on ${resources}`);
    });
    return outcomes.length > 0 ? outcomes : pass();
  },
});
