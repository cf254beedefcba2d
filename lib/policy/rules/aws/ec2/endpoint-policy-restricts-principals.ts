import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject } from '../../../document';
import { asList, PolicyStatement, readStatements, statementCovers } from '../../../policy-document';
import { defineRule, fail, notApplicable, pass, RuleOutcome, unresolvable } from '../../../rule';
import { isWildcardValue } from '../../../policy-document';

const ENDPOINT = 'AWS::EC2::VPCEndpoint';
/** Endpoint types that take no policy document. */
const WITHOUT_POLICY = new Set(['GatewayLoadBalancer', 'Resource', 'ServiceNetwork']);
/** Condition keys that say who is calling. */
const PRINCIPAL_KEYS = new Set(['aws:principalaccount', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalarn']);
/** Condition keys that say whose resources are reached (the data-perimeter form). */
const RESOURCE_KEYS = new Set(['aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths']);
/** Operators that admit only the listed values; `IfExists` forms also admit requests without the key. */
const ADMITTING = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;
const EXCLUDING = /^(ForAnyValue:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)(IfExists)?$/;

const ACCOUNT = { Ref: 'AWS::AccountId' };
const endpoint = (type: string, ...statements: unknown[]) => ({
  Type: ENDPOINT,
  Properties: {
    VpcId: 'vpc-0abc', ServiceName: 'com.amazonaws.eu-west-1.sagemaker.runtime', VpcEndpointType: type,
    ...(statements.length > 0 ? { PolicyDocument: { Version: '2012-10-17', Statement: statements } } : {}),
  },
});
const OWN_ACCOUNT = { Effect: 'Allow', Principal: { AWS: '*' }, Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } };

/** MLOPS-VPC-010: VPC endpoints carry a policy that keeps other accounts' principals (or resources) out. */
export default defineRule({
  id: 'MLOPS-VPC-010',
  title: 'VPC endpoint has a policy that restricts principals (no unconditioned wildcard Allow)',
  resourceTypes: [ENDPOINT],
  severity: 'medium',
  themes: ['NET', 'IAM'],
  acknowledgeable: true,
  rationale:
    'Without a policy an endpoint admits any principal, any action, any resource: code in the private subnets can use ' +
    'credentials of another account, or write training data to a bucket of another account, through the same private ' +
    'path the models use, and no network control sees it. An endpoint policy that admits only principals of the ' +
    'account (aws:PrincipalAccount, aws:PrincipalOrgID) or only its resources turns the endpoint into a data perimeter. ' +
    'Statements limited to named resources (the AWS-owned ECR layer bucket, roles of the account for federation) are ' +
    'accepted: they cannot reach anything else.',
  fix:
    'Use regulated-mlops PrivateNetwork, or call endpoint.addToPolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], ' +
    "actions: ['*'], resources: ['*'], conditions: { StringEquals: { 'aws:PrincipalAccount': Aws.ACCOUNT_ID } } })) on every " +
    'ec2.InterfaceVpcEndpoint and GatewayVpcEndpoint (AWS::EC2::VPCEndpoint PolicyDocument whose wildcard-principal Allow ' +
    'statements carry a StringEquals/ArnLike condition on aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths, ' +
    'aws:PrincipalArn or aws:ResourceAccount/OrgID/OrgPaths, or name specific resources).',
  references: [
    'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    'https://docs.aws.amazon.com/whitepapers/latest/building-a-data-perimeter-on-aws/perimeter-implementation.html',
  ],
  scenarios: [
    { name: 'interface endpoint admitting this account only', expect: 'pass', resource: endpoint('Interface', OWN_ACCOUNT) },
    {
      name: 'S3 gateway endpoint: own account, plus the ECR layer bucket by name',
      expect: 'pass',
      resource: endpoint('Gateway', OWN_ACCOUNT, {
        Effect: 'Allow', Principal: '*', Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']] },
      }),
    },
    {
      name: 'organisation and resource perimeter conditions',
      expect: 'pass',
      resource: endpoint('Interface', {
        Effect: 'Allow', Principal: '*', Action: '*', Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5', 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
      }),
    },
    {
      name: 'allow everything, then deny principals outside the account',
      expect: 'pass',
      resource: endpoint('Interface',
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111122223333'] } } }),
    },
    {
      name: 'a named role only',
      expect: 'pass',
      resource: endpoint('Interface', { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/inference' }, Action: 'sagemaker:InvokeEndpoint', Resource: '*' }),
    },
    { name: 'Gateway Load Balancer endpoint (no policy support)', expect: 'not-applicable', resource: endpoint('GatewayLoadBalancer') },
    { name: 'no PolicyDocument (full access)', expect: 'fail', resource: endpoint('Interface') },
    { name: 'gateway endpoint by default type, no PolicyDocument', expect: 'fail', resource: { Type: ENDPOINT, Properties: { VpcId: 'vpc-0abc', ServiceName: 'com.amazonaws.eu-west-1.s3' } } },
    {
      name: 'the default policy written out',
      expect: 'fail',
      resource: endpoint('Interface', { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
    },
    {
      name: 'wildcard principal conditioned on TLS only',
      expect: 'fail',
      resource: endpoint('Interface', { ...OWN_ACCOUNT, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }),
    },
    {
      name: 'IfExists lets requests without the key through',
      expect: 'fail',
      resource: endpoint('Interface', { ...OWN_ACCOUNT, Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': ACCOUNT } } }),
    },
    {
      name: 'every bucket by a wildcard ARN',
      expect: 'fail',
      resource: endpoint('Gateway', { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::*' }),
    },
    {
      name: 'account from a parameter',
      expect: 'unresolvable',
      resource: endpoint('Interface', { ...OWN_ACCOUNT, Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'TrustedAccount' } } } }),
    },
    {
      name: 'policy behind a condition',
      expect: 'unresolvable',
      resource: {
        Type: ENDPOINT,
        Properties: { VpcId: 'vpc-0abc', ServiceName: 'com.amazonaws.eu-west-1.kms', VpcEndpointType: 'Interface', PolicyDocument: { 'Fn::If': ['Restrict', { Statement: [OWN_ACCOUNT] }, { Ref: 'AWS::NoValue' }] } },
      },
    },
  ],
  evaluate(vpce, ctx) {
    const type = ctx.string(vpce.properties.VpcEndpointType, 'Properties/VpcEndpointType') ?? 'Gateway';
    if (WITHOUT_POLICY.has(type)) return notApplicable(`${type} endpoints take no endpoint policy`);
    const path = 'Properties/PolicyDocument';
    if (!ctx.isPresent(vpce.properties.PolicyDocument, path)) {
      return fail(path, 'PolicyDocument is unset: the endpoint gets the default policy, any principal of any account, any action, any resource');
    }
    const statements = readStatements(vpce.properties.PolicyDocument, path, ctx);
    const perimeter = statements.find((s) => isPrincipalPerimeterDeny(s, ctx));
    if (perimeter) return pass(`statement ${perimeter.index} denies every request of a principal outside the listed accounts or organisation`);
    const outcomes: RuleOutcome[] = [];
    for (const statement of statements) {
      if (statement.effect !== 'Allow') continue;
      try {
        if (!admitsEveryone(statement, ctx) || isScoped(statement, ctx) || namesSpecificResources(statement, ctx)) continue;
        const actions = statement.actions?.join(', ') ?? 'every action but its NotAction';
        outcomes.push(fail(statement.path, `statement ${statement.index} allows ${actions} to any principal of any account on ${describeResources(statement)}, with no condition on aws:PrincipalAccount, aws:PrincipalOrgID or the resource account`));
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        outcomes.push(unresolvable(e.path, e.message));
      }
    }
    return outcomes.length > 0 ? outcomes : pass();
  },
});

/** `*`, `{AWS: *}`, no Principal at all, or an Allow with NotPrincipal. Throws `Unresolvable` when a principal may be `*`. */
function admitsEveryone(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.notPrincipal !== undefined || statement.principal === undefined) return true;
  const path = `${statement.path}/Principal`;
  const principal = ctx.literal(statement.principal, path);
  if (principal === '*') return true;
  if (!isPlainObject(principal)) return false;
  const many = Array.isArray(principal.AWS);
  return asList(principal.AWS).some((v, i) => isWildcardValue(v, many ? `${path}/AWS/${i}` : `${path}/AWS`, ctx));
}

/** True when an admitting condition names the caller's or the resource's account, organisation or path. */
function isScoped(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  return conditionEntries(statement, ctx).some(({ operator, key, values, path }) =>
    ADMITTING.test(operator) && (PRINCIPAL_KEYS.has(key) || RESOURCE_KEYS.has(key)) && specificValues(values, path, ctx));
}

/** A Deny of everything to everyone unless the caller is of the listed accounts or organisation (and nothing else narrows it). */
function isPrincipalPerimeterDeny(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  // NotAction would leave the actions it lists undenied.
  if (statement.effect !== 'Deny' || statement.notActions || !statementCovers(statement, '*') || !statement.resources.includes('*')) return false;
  try {
    if (!admitsEveryone(statement, ctx)) return false;
    const entries = conditionEntries(statement, ctx);
    return entries.length === 1 && EXCLUDING.test(entries[0].operator) && PRINCIPAL_KEYS.has(entries[0].key)
      && specificValues(entries[0].values, entries[0].path, ctx);
  } catch (e) {
    // A perimeter that depends on a parameter cannot be relied on; the Allow statements are judged on their own.
    if (e instanceof Unresolvable) return false;
    throw e;
  }
}

interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: unknown[];
  readonly path: string;
}

function conditionEntries(statement: PolicyStatement, ctx: EvaluationContext): ConditionEntry[] {
  const condition = ctx.literal(statement.condition, `${statement.path}/Condition`) ?? {};
  const entries: ConditionEntry[] = [];
  for (const [operator, body] of Object.entries<unknown>(condition)) {
    const block = ctx.literal(body, `${statement.path}/Condition/${operator}`);
    if (!isPlainObject(block)) continue;
    for (const [key, values] of Object.entries(block)) {
      entries.push({ operator, key: key.toLowerCase(), values: asList(values), path: `${statement.path}/Condition/${operator}/${key}` });
    }
  }
  return entries;
}

/** Condition values that name something: not empty, not only wildcards. The account id pseudo parameter counts. */
function specificValues(values: unknown[], path: string, ctx: EvaluationContext): boolean {
  return values.length > 0 && values.every((value, i) => {
    if (isPlainObject(value) && value.Ref === 'AWS::AccountId') return true;
    const text = ctx.string(value, values.length > 1 ? `${path}/${i}` : path) ?? '';
    return /[^*?]/.test(text);
  });
}

/**
 * True when every Resource is an ARN that names something: a service, an account (or none, as in S3) and a resource
 * part that does not start with a wildcard (`arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*`, not `arn:aws:s3:::*`).
 */
function namesSpecificResources(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.notResources || statement.resources.length === 0) return false;
  return statement.resources.every((value, i) => {
    const many = statement.resources.length > 1;
    const parts = arnShape(value, `${statement.path}/Resource${many ? `/${i}` : ''}`, ctx).split(':');
    if (parts.length < 6 || parts[0] !== 'arn') return false;
    const resource = parts.slice(5).join(':');
    return !/[*?]/.test(parts[2]) && !/[*?]/.test(parts[4]) && resource !== '' && !/^[*?]/.test(resource);
  });
}

/** An ARN with its pseudo parameters and template references replaced by a placeholder; `Unresolvable` otherwise. */
function arnShape(value: unknown, path: string, ctx: EvaluationContext): string {
  if (typeof value === 'string') return value;
  if (isPlainObject(value) && typeof value.Ref === 'string' && value.Ref.startsWith('AWS::')) return 'x';
  const ref = ctx.reference(value);
  // The ARN of a resource of the template names that resource; a Ref or other attribute is a piece of an ARN.
  if (ref) return /Arn$/.test(ref.attribute) ? 'arn:x:x:x:x:x' : 'x';
  const join = isPlainObject(value) ? value['Fn::Join'] : undefined;
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part: unknown, i: number) => arnShape(part, `${path}/Fn::Join/1/${i}`, ctx)).join(join[0]);
  }
  const sub = isPlainObject(value) ? value['Fn::Sub'] : undefined;
  if (typeof sub === 'string') {
    return sub.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      if (name.startsWith('AWS::')) return 'x';
      const [logicalId, attribute] = name.split('.');
      if (ctx.resource(logicalId)) return attribute && /Arn$/.test(attribute) ? 'arn:x:x:x:x:x' : 'x';
      throw new Unresolvable(path, `a Fn::Sub of \${${name}}`);
    });
  }
  return ctx.string(value, path) ?? '';
}

function describeResources(statement: PolicyStatement): string {
  if (statement.notResources) return 'every resource outside NotResource';
  return statement.resources.every((r) => typeof r === 'string') ? statement.resources.join(', ') : 'its resources';
}
