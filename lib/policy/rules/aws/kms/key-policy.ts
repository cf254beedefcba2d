import { describeIntrinsic, EvaluationContext, Unresolvable } from '../../../context';
import { isPlainObject, RenderedResource } from '../../../document';
import { asList, PolicyStatement, readStatements } from '../../../policy-document';

/** Where a key's policy sits, for property paths. */
export const KEY_POLICY_PATH = 'Properties/KeyPolicy';

/**
 * The statements of a key's policy. An absent `KeyPolicy` gets the KMS default, which only delegates to the
 * account root, so it reads as no statements.
 */
export function keyPolicyStatements(key: RenderedResource, ctx: EvaluationContext): PolicyStatement[] {
  return readStatements(key.properties.KeyPolicy, KEY_POLICY_PATH, ctx);
}

/** Stand for `AWS::AccountId` and for any other deploy-time value inside a rendered principal. */
const OWN_ACCOUNT = '{own-account}';
const UNKNOWN = '{deploy-time}';
/** Braces never occur in an IAM ARN, so the placeholders cannot collide with literal text. */
const ROOT_ARN = /^(?:arn:aws(?:-[a-z-]+)?:iam::([0-9]{12}|\{own-account\}|\{deploy-time\}):root|([0-9]{12}|\{own-account\}))$/;

/** An account root principal, `arn:<partition>:iam::<account>:root` or a bare account id. */
export interface AccountRoot {
  /** True for the template's own account (`AWS::AccountId`). */
  readonly own: boolean;
  /** The account id when it is a literal: it may be the own account of an env-pinned stack, or another. */
  readonly account?: string;
}

/**
 * The account roots a principal names when it names nothing else (`{AWS: arn:...:root}` or a list of them);
 * undefined when it names any other principal. Throws `Unresolvable` when the principal is wholly a deploy-time
 * value (a parameter may hold a root ARN as well as a role ARN).
 */
export function accountRoots(principal: unknown, path: string, ctx: EvaluationContext): AccountRoot[] | undefined {
  const literal = ctx.literal(principal, `${path}/Principal`);
  if (!isPlainObject(literal) || Object.keys(literal).some((k) => k !== 'AWS')) return undefined;
  const values = asList(literal.AWS);
  const roots: AccountRoot[] = [];
  for (const [i, value] of values.entries()) {
    const text = renderPrincipal(value, ctx);
    if (text === UNKNOWN) throw new Unresolvable(`${path}/Principal/AWS${Array.isArray(literal.AWS) ? `/${i}` : ''}`, describeIntrinsic(value));
    const match = ROOT_ARN.exec(text);
    if (!match) return undefined;
    const account = match[2] ?? match[1];
    roots.push({ own: account === OWN_ACCOUNT, ...(/^[0-9]{12}$/.test(account) ? { account } : {}) });
  }
  return roots.length > 0 ? roots : undefined;
}

/**
 * Literals as written, the partition as `aws`, the own account as `OWN_ACCOUNT`, resources of the template as a
 * non-root word, anything else as `UNKNOWN`.
 */
function renderPrincipal(value: unknown, ctx: EvaluationContext): string {
  if (typeof value === 'string') return value;
  if (!isPlainObject(value)) return UNKNOWN;
  // A role or user of the template: not a root, whatever its name.
  if (ctx.reference(value)) return 'resource';
  if (value.Ref === 'AWS::Partition') return 'aws';
  if (value.Ref === 'AWS::AccountId') return OWN_ACCOUNT;
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map((part: unknown) => renderPrincipal(part, ctx)).join(join[0]);
  }
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    return sub.replace(/\$\{([^!}][^}]*)\}/g, (_m, name: string) => {
      if (name === 'AWS::Partition') return 'aws';
      return name === 'AWS::AccountId' ? OWN_ACCOUNT : UNKNOWN;
    });
  }
  return UNKNOWN;
}
