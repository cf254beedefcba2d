import type { EvaluationContext } from '../../../context';
import { isPlainObject } from '../../../document';

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
