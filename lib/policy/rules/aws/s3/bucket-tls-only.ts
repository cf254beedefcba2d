import { EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedResource } from '../../../document';
import { conditionValues, isWildcardPrincipal, PolicyStatement, readStatements, statementCovers } from '../../../policy-document';
import { defineRule, fail, pass, unresolvable } from '../../../rule';
import { BUCKET_POLICIES } from './bucket-policies';

/** Delimits a bucket identity token in rendered ARNs (a character no ARN contains). */
const BUCKET_MARK = '\u0001';

const TLS_DENY = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  Resource: [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, '/*']] }],
};
const policyOf = (bucket: unknown, ...statements: unknown[]) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: bucket, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
});

/** MLOPS-S3-003: a bucket policy denies every request that does not use TLS. */
export default defineRule({
  id: 'MLOPS-S3-003',
  title: 'S3 bucket policy denies requests without TLS',
  resourceTypes: ['AWS::S3::Bucket'],
  severity: 'high',
  themes: ['TRN'],
  acknowledgeable: true,
  rationale:
    'S3 accepts plain HTTP on its endpoints. Without a deny on aws:SecureTransport false, a misconfigured client ' +
    'or SDK sends regulated data and credentials-signed requests in clear text, readable and replayable on the path.',
  fix:
    'Use regulated-mlops EncryptedBucket, or set enforceSSL: true on the s3.Bucket (an AWS::S3::BucketPolicy statement ' +
    '{Effect: Deny, Principal: *, Action: s3:*, Resource: [bucket ARN, bucket ARN/*], Condition: {Bool: {aws:SecureTransport: false}}}).',
  references: [
    'AWS Config s3-bucket-ssl-requests-only',
    'Control Tower CT.S3.PR.8',
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
  ],
  scenarios: [
    {
      name: 'CDK enforceSSL policy (GetAtt Arn and Fn::Join of the Arn and /*)',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ Ref: 'Subject' }, TLS_DENY) },
    },
    {
      name: 'literal bucket name and ARNs, principal "*", boolean false, s3:GetObject and s3:PutObject',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'training-data' } },
      others: {
        Policy: policyOf('training-data', {
          ...TLS_DENY,
          Principal: '*',
          Action: ['s3:GetObject', 's3:PutObject'],
          Condition: { Bool: { 'aws:SecureTransport': false } },
          Resource: ['arn:aws:s3:::training-data', 'arn:aws:s3:::training-data/*'],
        }),
      },
    },
    {
      name: 'Fn::Sub ARNs of a bucket name built from the account id',
      expect: 'pass',
      resource: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${AWS::AccountId}-artifacts' } } },
      others: {
        Policy: policyOf({ Ref: 'Subject' }, {
          ...TLS_DENY,
          Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::AccountId}-artifacts' }, { 'Fn::Sub': '${Subject.Arn}/*' }],
        }),
      },
    },
    { name: 'no bucket policy', expect: 'fail', resource: { Type: 'AWS::S3::Bucket', Properties: {} } },
    {
      name: 'a policy without a TLS statement',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: {
        Policy: policyOf({ Ref: 'Subject' }, {
          Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, '/*']] },
        }),
      },
    },
    {
      name: 'the deny covers the bucket ARN but not its objects',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ Ref: 'Subject' }, { ...TLS_DENY, Resource: { 'Fn::GetAtt': ['Subject', 'Arn'] } }) },
    },
    {
      name: 'the deny only applies to one role (not principal *)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ Ref: 'Subject' }, { ...TLS_DENY, Principal: { AWS: 'arn:aws:iam::111122223333:role/trainer' } }) },
    },
    {
      name: 'aws:SecureTransport "true" (denies the TLS requests instead)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ Ref: 'Subject' }, { ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }) },
    },
    {
      name: 'the deny also requires a source IP (narrower than every non-TLS request)',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: {
        Policy: policyOf({ Ref: 'Subject' }, {
          ...TLS_DENY, Condition: { Bool: { 'aws:SecureTransport': 'false' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        }),
      },
    },
    {
      name: 'the TLS deny is on another bucket of the template',
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: {
        Other: { Type: 'AWS::S3::Bucket', Properties: {} },
        Policy: policyOf({ Ref: 'Subject' }, {
          ...TLS_DENY, Resource: [{ 'Fn::GetAtt': ['Other', 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Other', 'Arn'] }, '/*']] }],
        }),
      },
    },
    {
      name: "the only bucket policy is for another stack's bucket (Fn::ImportValue)",
      expect: 'fail',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ 'Fn::ImportValue': 'Foundation:DataBucketName' }, TLS_DENY) },
    },
    {
      name: "the only bucket policy's Bucket is a parameter",
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: { Policy: policyOf({ Ref: 'BucketName' }, TLS_DENY) },
    },
    {
      name: 'the deny names the objects through an imported value',
      expect: 'unresolvable',
      resource: { Type: 'AWS::S3::Bucket', Properties: {} },
      others: {
        Policy: policyOf({ Ref: 'Subject' }, { ...TLS_DENY, Resource: [{ 'Fn::GetAtt': ['Subject', 'Arn'] }, { 'Fn::ImportValue': 'DataObjectsArn' }] }),
      },
    },
  ],
  evaluate(bucket, ctx) {
    const { byBucket, unmapped } = ctx.index(BUCKET_POLICIES);
    const policies = byBucket.get(bucket.logicalId) ?? [];
    const problems: string[] = [];
    let unknown: Unresolvable | undefined;
    for (const policy of policies) {
      try {
        const verdict = policyDeniesPlainHttp(policy, bucket, ctx);
        if (verdict === true) return pass();
        problems.push(...verdict);
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        unknown ??= e;
      }
    }
    if (unknown) throw unknown;
    // A policy attached through a parameter or an import may be this bucket's.
    if (unmapped.length > 0) {
      return unresolvable('Properties', `${describePolicies(policies)}; bucket policy ${unmapped.map((p) => p.logicalId).join(', ')} attaches to a bucket that cannot be resolved at synth and may be this one`);
    }
    return fail('Properties', [describePolicies(policies), ...problems].join('; '));
  },
});

function describePolicies(policies: readonly RenderedResource[]): string {
  if (policies.length === 0) return 'the bucket has no bucket policy, so requests without TLS are not denied';
  return `no statement of bucket policy ${policies.map((p) => p.logicalId).join(', ')} denies every request with aws:SecureTransport false`;
}

/**
 * True when a statement of the policy denies all non-TLS requests to the bucket and its objects; otherwise what
 * the near misses (Deny statements on aws:SecureTransport false) lack. Throws `Unresolvable` when no statement
 * is known to deny and one might, depending on a value unknown at synth.
 */
function policyDeniesPlainHttp(policy: RenderedResource, bucket: RenderedResource, ctx: EvaluationContext): true | string[] {
  const statements = readStatements(policy.properties.PolicyDocument, 'Properties/PolicyDocument', ctx);
  const problems: string[] = [];
  let unknown: Unresolvable | undefined;
  for (const statement of statements) {
    if (statement.effect !== 'Deny') continue;
    try {
      const lacks = tlsDenyProblems(statement, bucket, ctx);
      if (lacks === undefined) continue;
      if (lacks.length === 0) return true;
      problems.push(`${policy.logicalId} statement ${statement.index} denies requests without TLS but ${lacks.join(', ')}`);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      unknown ??= e;
    }
  }
  if (unknown) throw unknown;
  return problems;
}

/** Undefined when the statement is not about TLS at all; else what keeps it from denying every non-TLS request. */
function tlsDenyProblems(statement: PolicyStatement, bucket: RenderedResource, ctx: EvaluationContext): string[] | undefined {
  const path = `${statement.path}/Condition`;
  const values = conditionValues(statement, /^Bool(IfExists)?$/, 'aws:SecureTransport');
  if (!values.some((v, i) => ctx.bool(v, `${path}/aws:SecureTransport/${i}`) === false)) return undefined;
  const problems: string[] = [];
  if (!statementCovers(statement, 's3:GetObject') || !statementCovers(statement, 's3:PutObject')) {
    problems.push('its actions do not cover s3:GetObject and s3:PutObject (use s3:*)');
  }
  if (!isWildcardPrincipal(statement.principal)) problems.push('its principal is not *');
  const keys = Object.values(statement.condition).flatMap((body) => (isPlainObject(body) ? Object.keys(body) : ['?']));
  if (keys.length > 1) problems.push('other condition keys narrow it');
  const covered = coverage(statement.resources, bucket, statement.path, ctx);
  if (!covered.bucket) problems.push('its resources miss the bucket ARN');
  if (!covered.objects) problems.push('its resources miss the objects (bucket ARN/*)');
  return problems;
}

/** Whether the statement's resources cover the bucket ARN and every object ARN of the bucket. */
function coverage(resources: readonly unknown[], bucket: RenderedResource, path: string, ctx: EvaluationContext): { bucket: boolean; objects: boolean } {
  const targets = bucketArns(bucket, ctx);
  const patterns = resources.map((r, i) => ({ path: `${path}/Resource/${i}`, ...render(r, ctx) }));
  const covers = (suffix: string) => {
    let unknownAt: string | undefined;
    for (const pattern of patterns) {
      for (const target of targets) {
        if (globMatches(pattern.text, target.text + suffix)) return true;
        // A bucket token names one bucket of the template: it cannot equal another bucket's unknown name.
        if (pattern.uncertain || (target.uncertain && !pattern.text.includes(BUCKET_MARK))) unknownAt ??= pattern.path;
      }
    }
    // Not covered symbolically, but a value unknown at synth may make it cover.
    if (unknownAt !== undefined) throw new Unresolvable(unknownAt, 'an ARN built from deploy-time values');
    return false;
  };
  return { bucket: covers(''), objects: covers('/*') };
}

interface Rendered {
  readonly text: string;
  /** True when the text contains a value only known at deploy (a parameter, a pseudo parameter, an import). */
  readonly uncertain: boolean;
}

/** The ARNs the bucket is known by: through its identity (GetAtt/Ref) and, when set, its `BucketName`. */
function bucketArns(bucket: RenderedResource, ctx: EvaluationContext): Rendered[] {
  const arns: Rendered[] = [{ text: `arn:aws:s3:::${bucketToken(bucket.logicalId)}`, uncertain: false }];
  const name = bucket.properties.BucketName;
  if (!ctx.isAbsent(name)) {
    const rendered = render(name, ctx);
    arns.push({ text: `arn:aws:s3:::${rendered.text}`, uncertain: rendered.uncertain });
  }
  return arns;
}

/** Two distinct buckets never share a name, so a bucket's identity stands for its name. */
function bucketToken(logicalId: string): string {
  return `${BUCKET_MARK}${logicalId}${BUCKET_MARK}`;
}

/** A deploy-time value, kept symbolic so the same expression on both sides still compares equal. */
function unknownToken(value: unknown): string {
  return `\u0002${JSON.stringify(value).replace(/[*?]/g, '_')}\u0002`;
}

/**
 * Renders an ARN or name expression to text: literals as they are, buckets of the template by identity, the
 * partition as `aws`, anything else as an opaque token marked uncertain.
 */
function render(value: unknown, ctx: EvaluationContext): Rendered {
  if (typeof value === 'string') return { text: normalisePartition(value), uncertain: false };
  if (!isPlainObject(value)) return { text: unknownToken(value), uncertain: true };
  if (value.Ref === 'AWS::Partition') return { text: 'aws', uncertain: false };
  const ref = ctx.reference(value);
  if (ref && ctx.resource(ref.logicalId)?.type === 'AWS::S3::Bucket') {
    if (ref.attribute === 'Ref') return { text: bucketToken(ref.logicalId), uncertain: false };
    if (ref.attribute === 'Arn') return { text: `arn:aws:s3:::${bucketToken(ref.logicalId)}`, uncertain: false };
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((p: unknown) => render(p, ctx));
    return combined(parts.map((p: Rendered) => p.text).join(join[0]), parts);
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    const parts: Rendered[] = [];
    const text = sub.replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
      const [logicalId, attribute] = name.split(/\.(.*)/);
      const part = render(attribute ? { 'Fn::GetAtt': [logicalId, attribute] } : { Ref: logicalId }, ctx);
      parts.push(part);
      return part.text;
    });
    return combined(text.replace(/\$\{!/g, '${'), parts);
  }
  return { text: unknownToken(value), uncertain: true };
}

function combined(text: string, parts: readonly Rendered[]): Rendered {
  return { text: normalisePartition(text), uncertain: parts.some((p) => p.uncertain) };
}

/** `aws-cn`, `aws-us-gov` and `${AWS::Partition}` all name the bucket's own partition. */
function normalisePartition(arn: string): string {
  return arn.replace(/^arn:aws(-[a-z-]+)?:s3:::/, 'arn:aws:s3:::');
}

/** IAM resource matching: `*` spans any characters (slashes included), `?` one; case-sensitive. */
function globMatches(pattern: string, text: string): boolean {
  const source = pattern.split('*').map((s) => s.split('?').map((t) => t.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*');
  return new RegExp(`^${source}$`, 's').test(text);
}
