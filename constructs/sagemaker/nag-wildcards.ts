import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's `AwsSolutions-IAM5` finding for each wildcard resource, with one reason. cdk-nag names such
 * a finding after the resource as rendered in the template, with references written `<LogicalId.Attribute>` and
 * `<Ref>`; the same rendering is done here, so only these exact resources are acknowledged, not every wildcard.
 *
 * Resources are resolved when this is called: a resource of another stack (rendered later as an import) is not
 * matched, and its finding stays for the user to acknowledge.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: readonly string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of new Set(resources.map((r) => render(stack.resolve(r))))) {
    if (resource.includes('*')) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
  }
}

function render(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, any>;
    if (Array.isArray(v['Fn::Join'])) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0]);
    if (v['Fn::Sub'] !== undefined) return render(v['Fn::Sub']);
    if (Array.isArray(v['Fn::GetAtt'])) return `<${render(v['Fn::GetAtt'][0])}.${render(v['Fn::GetAtt'][1])}>`;
    if (v['Fn::ImportValue'] !== undefined) return render(v['Fn::ImportValue']);
    if (v.Ref !== undefined) return `<${render(v.Ref)}>`;
  }
  return JSON.stringify(value);
}
