import type { EvaluationContext } from './context';
import { isPlainObject } from './document';

/** One statement of an IAM, key, bucket, topic, queue or repository policy, with its lists normalised. */
export interface PolicyStatement {
  /** Index in the `Statement` list, for property paths. */
  readonly index: number;
  /** Path of the statement inside the resource (`Properties/PolicyDocument/Statement/2`). */
  readonly path: string;
  readonly effect: 'Allow' | 'Deny';
  /** Actions as written; `undefined` when the statement uses `NotAction`. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** Resources as raw values (strings or intrinsics). */
  readonly resources: readonly unknown[];
  readonly notResources?: readonly unknown[];
  /** Principal as written (`"*"`, `{AWS: ...}`, `{Service: ...}`); undefined for identity policies. */
  readonly principal?: unknown;
  readonly notPrincipal?: unknown;
  readonly condition: Readonly<Record<string, Record<string, unknown>>>;
}

/**
 * Reads the statements of a policy document. Actions and effects must be literals (an intrinsic there
 * makes the policy unknowable, so it throws `Unresolvable`); resources and principals stay raw, since
 * they are routinely `Fn::GetAtt`s.
 */
export function readStatements(document: unknown, path: string, ctx: EvaluationContext): PolicyStatement[] {
  if (ctx.isAbsent(document)) return [];
  const doc = typeof document === 'string' ? parseJson(document) : ctx.literal(document, path);
  if (!isPlainObject(doc)) return [];
  const raw = doc.Statement;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((s, index) => {
    const p = `${path}/Statement/${index}`;
    const effect = ctx.string(s?.Effect, `${p}/Effect`);
    return {
      index,
      path: p,
      effect: effect === 'Deny' ? 'Deny' : 'Allow',
      actions: s?.Action === undefined ? undefined : stringList(s.Action, `${p}/Action`, ctx),
      notActions: s?.NotAction === undefined ? undefined : stringList(s.NotAction, `${p}/NotAction`, ctx),
      resources: asList(s?.Resource),
      notResources: s?.NotResource === undefined ? undefined : asList(s.NotResource),
      principal: s?.Principal,
      notPrincipal: s?.NotPrincipal,
      condition: isPlainObject(s?.Condition) ? s.Condition : {},
    };
  });
}

/** True when an action pattern (`s3:*`, `*`, `s3:Get*`) covers the action (`s3:GetObject`). Case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = ACTION_PATTERNS.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*').replace(/\\\?/g, '.')}$`, 'i');
    ACTION_PATTERNS.set(pattern, re);
  }
  return re.test(action);
}

/** Compiled action patterns: the same few hundred patterns recur across thousands of statements. */
const ACTION_PATTERNS = new Map<string, RegExp>();

/** True when any of the statement's actions covers `action`. `NotAction` statements count as covering. */
export function statementCovers(statement: PolicyStatement, action: string): boolean {
  if (statement.notActions) return !statement.notActions.some((p) => actionMatches(p, action));
  return (statement.actions ?? []).some((p) => actionMatches(p, action));
}

/** True when the principal is everyone: `"*"` or `{AWS: "*"}` (in any list). */
export function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isPlainObject(principal)) return false;
  const aws = principal.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/**
 * True when a policy value (a resource, an AWS principal) is the wildcard `*`. Literals and references to resources
 * of the app (in this template or imported from another stack) are decided; a `Fn::Join`/`Fn::Sub` is decided when
 * its literal text already rules `*` out (`arn:${AWS::Partition}:s3:::bucket/*`); anything else throws `Unresolvable`.
 */
export function isWildcardValue(value: unknown, path: string, ctx: EvaluationContext): boolean {
  if (typeof value === 'string') return value === '*';
  if (ctx.locate(value)) return false;
  if (/[^*]/.test(literalText(value))) return false;
  return ctx.string(value, path) === '*';
}

/** The literal characters an intrinsic's result is certain to contain. */
function literalText(value: unknown): string {
  if (!isPlainObject(value)) return '';
  const join = value['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const strings = join[1].filter((p: unknown): p is string => typeof p === 'string');
    return strings.join('') + (join[1].length > 1 && typeof join[0] === 'string' ? join[0] : '');
  }
  const sub = value['Fn::Sub'];
  const template = Array.isArray(sub) ? sub[0] : sub;
  return typeof template === 'string' ? template.replace(/\$\{[^}]*\}/g, '') : '';
}

/**
 * True when an Allow statement grants everyone: Principal `*`, `{AWS: '*'}` (in any list) or a NotPrincipal.
 * Fail closed: throws `Unresolvable` when a principal may be `*` but cannot be resolved.
 */
export function allowsEveryone(statement: PolicyStatement, ctx: EvaluationContext): boolean {
  if (statement.notPrincipal !== undefined) return true;
  const path = `${statement.path}/Principal`;
  const principal = ctx.literal(statement.principal, path);
  if (principal === '*') return true;
  if (!isPlainObject(principal)) return false;
  const many = Array.isArray(principal.AWS);
  return asList(principal.AWS).some((value, i) => isWildcardValue(value, many ? `${path}/AWS/${i}` : `${path}/AWS`, ctx));
}

/** The service principals named by a statement (`cloudtrail.amazonaws.com`). */
export function servicePrincipals(principal: unknown): string[] {
  if (!isPlainObject(principal)) return [];
  return asList(principal.Service).filter((s): s is string => typeof s === 'string');
}

/** Condition values for a key, under any operator (`{Bool: {aws:SecureTransport: false}}`). Keys compare case-insensitively. */
export function conditionValues(statement: PolicyStatement, operatorPattern: RegExp, key: string): unknown[] {
  const out: unknown[] = [];
  for (const [operator, body] of Object.entries(statement.condition)) {
    if (!operatorPattern.test(operator) || !isPlainObject(body)) continue;
    for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === key.toLowerCase()) out.push(...asList(v));
  }
  return out;
}

/** A value as a list (`undefined` → `[]`). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function stringList(value: unknown, path: string, ctx: EvaluationContext): string[] {
  return asList(ctx.literal(value, path)).map((v, i) => ctx.string(v, `${path}/${i}`) ?? '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
