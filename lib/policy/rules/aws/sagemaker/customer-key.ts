import type { EvaluationContext } from '../../../context';

/**
 * Why a KMS key property does not name a customer-managed key, as the start of a finding message
 * (`KmsKeyId is not set`), or undefined when it does. A Ref/GetAtt to a key of the template, or an import of another
 * evaluated stack's key, counts as a customer key; a parameter or an import from outside the evaluation is
 * unresolvable (it could be an AWS-managed alias).
 */
export function customerKeyProblem(value: unknown, path: string, name: string, ctx: EvaluationContext): string | undefined {
  if (!ctx.isPresent(value, path)) return `${name} is not set`;
  const keyId = ctx.locate(value) ? undefined : ctx.string(value, path);
  if (keyId !== undefined && /(^|:)alias\/aws\//.test(keyId)) return `${name} is ${keyId}, an AWS-managed key`;
  return undefined;
}
