import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { IModelRegistry } from './i-model-registry';

/**
 * IAM for the approval workflow, shared by `ModelRegistry.grant*`, `ApprovalWorkflow` and `ApprovedModel`.
 * Not exported from the package: the personas are the public surface.
 */

/** The IAM condition key SageMaker sets from the request's `ModelApprovalStatus` (Create/UpdateModelPackage). */
export const APPROVAL_STATUS_KEY = 'sagemaker:ModelApprovalStatus';
/** Wire values of `ModelApprovalStatus` (the SDK enum keys `APPROVED`... are never sent). */
export const PENDING_MANUAL_APPROVAL = 'PendingManualApproval';
export const APPROVED = 'Approved';
export const REJECTED = 'Rejected';

/** The group and every version of it: what the personas' statements are scoped to. */
function resources(registry: IModelRegistry): { group: string; versions: string } {
  return { group: registry.modelPackageGroupArn, versions: registry.modelPackageArn('*') };
}

/** Key use only when SageMaker makes the call on the principal's behalf, in the registry's region. */
function throughSageMaker(registry: IModelRegistry): Record<string, Record<string, string>> {
  return { StringEquals: { 'kms:ViaService': `sagemaker.${registry.env.region}.amazonaws.com` } };
}

/** Read the group and its versions; decrypt their content through SageMaker. */
export function readerStatements(registry: IModelRegistry): iam.PolicyStatement[] {
  const { group, versions } = resources(registry);
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadRegistry',
      actions: ['sagemaker:DescribeModelPackageGroup', 'sagemaker:DescribeModelPackage'],
      resources: [group, versions],
    }),
    // ListModelPackages has no resource-level permissions (Service Authorization Reference): it needs '*'. It
    // returns summaries (names, versions, statuses), never package content.
    new iam.PolicyStatement({ sid: 'ListVersions', actions: ['sagemaker:ListModelPackages'], resources: ['*'] }),
  ];
  if (registry.encryptionKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'DecryptThroughSageMaker',
      actions: ['kms:Decrypt', 'kms:DescribeKey'],
      resources: [registry.encryptionKey.keyArn],
      conditions: throughSageMaker(registry),
    }));
  }
  return statements;
}

/** Deny creating versions in the group, whatever else the principal is allowed. */
function neverRegister(registry: IModelRegistry): iam.PolicyStatement {
  const { group, versions } = resources(registry);
  return new iam.PolicyStatement({
    sid: 'NeverRegister', effect: iam.Effect.DENY, actions: ['sagemaker:CreateModelPackage'], resources: [group, versions],
  });
}

/** Deny changing versions of the group (approval status included), whatever else the principal is allowed. */
function neverApproveOrReject(registry: IModelRegistry): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'NeverApproveOrReject', effect: iam.Effect.DENY, actions: ['sagemaker:UpdateModelPackage'], resources: [registry.modelPackageArn('*')],
  });
}

/**
 * Register versions as `PendingManualApproval` only, stated in the request: the Allow needs that value (StringEquals
 * fails on a missing key), and the Deny refuses any other value or none (...IfExists treats a missing key as a match)
 * even if another policy allows it. The registrant can neither register a version as approved nor approve one later.
 */
export function registrantStatements(registry: IModelRegistry): iam.PolicyStatement[] {
  const { group, versions } = resources(registry);
  const statements = [
    ...readerStatements(registry),
    new iam.PolicyStatement({
      sid: 'RegisterPendingOnly',
      actions: ['sagemaker:CreateModelPackage'],
      resources: [group, versions],
      conditions: { StringEquals: { [APPROVAL_STATUS_KEY]: PENDING_MANUAL_APPROVAL } },
    }),
    new iam.PolicyStatement({
      sid: 'NeverRegisterApproved',
      effect: iam.Effect.DENY,
      actions: ['sagemaker:CreateModelPackage'],
      resources: [group, versions],
      conditions: { StringNotEqualsIfExists: { [APPROVAL_STATUS_KEY]: PENDING_MANUAL_APPROVAL } },
    }),
    neverApproveOrReject(registry),
  ];
  if (registry.encryptionKey) {
    statements.push(new iam.PolicyStatement({
      sid: 'EncryptThroughSageMaker',
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [registry.encryptionKey.keyArn],
      conditions: throughSageMaker(registry),
    }));
  }
  return statements;
}

/**
 * Set a version's status to `Approved` or `Rejected`, and nothing else: an update without the status (or with
 * another) is not allowed. Registering is denied outright.
 */
export function approverStatements(registry: IModelRegistry): iam.PolicyStatement[] {
  return [
    ...readerStatements(registry),
    new iam.PolicyStatement({
      sid: 'ApproveOrRejectOnly',
      actions: ['sagemaker:UpdateModelPackage'],
      resources: [registry.modelPackageArn('*')],
      conditions: { StringEquals: { [APPROVAL_STATUS_KEY]: [APPROVED, REJECTED] } },
    }),
    neverRegister(registry),
  ];
}

/** Read only; registering and approving are denied outright. */
export function deployerStatements(registry: IModelRegistry): iam.PolicyStatement[] {
  return [...readerStatements(registry), neverRegister(registry), neverApproveOrReject(registry)];
}

/**
 * Adds statements to a grantee's policy and returns the grant of the Allows. Sids are dropped: a grantee may be
 * granted on several registries, and statement ids must be unique within its policy.
 */
export function grantStatements(grantee: iam.IGrantable, statements: iam.PolicyStatement[]): iam.Grant {
  let grant: iam.Grant | undefined;
  for (const statement of statements) {
    const conditions = statement.conditions as Record<string, Record<string, unknown>>;
    if (statement.effect === iam.Effect.DENY) {
      grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY, actions: statement.actions, resources: statement.resources, conditions,
      }));
      continue;
    }
    const allow = iam.Grant.addToPrincipal({ grantee, actions: statement.actions, resourceArns: statement.resources, conditions });
    grant = grant ? grant.combine(allow) : allow;
  }
  return grant ?? iam.Grant.drop(grantee, 'no statements');
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 for each wildcard resource of the Allow statements, one finding at a time
 * (`AwsSolutions-IAM5[Resource::<flattened ARN>]`), so any other wildcard added later is still reported. `scoped` is the
 * reason for a wildcard inside a named resource's ARN, `any` for `*`.
 */
export function acknowledgeWildcardResources(
  policy: IConstruct, statements: iam.PolicyStatement[], reasons: { readonly scoped?: string; readonly any?: string },
): void {
  const stack = Stack.of(policy);
  for (const statement of statements) {
    if (statement.effect !== iam.Effect.ALLOW) continue;
    for (const resource of statement.resources) {
      const flat = flatten(stack.resolve(resource));
      if (!flat.includes('*')) continue;
      const reason = resource === '*' ? reasons.any : reasons.scoped;
      if (!reason) continue;
      Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
    }
  }
}

/** cdk-nag's rendering of a resource in a finding id: references as `<Id>` / `<Id.Attr>`, joins joined. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
    if (v['Fn::Sub']) return flatten(v['Fn::Sub']);
    if (v['Fn::GetAtt']) return `<${flatten(v['Fn::GetAtt'][0])}.${flatten(v['Fn::GetAtt'][1])}>`;
    if (v['Fn::ImportValue']) return flatten(v['Fn::ImportValue']);
    if (v.Ref) return `<${flatten(v.Ref)}>`;
  }
  return JSON.stringify(value);
}

/** The reason shared by every acknowledgment of the group's version ARN pattern. */
export const VERSIONS_WILDCARD_REASON =
  'model-package/<group>/* is the ARN of every version of this one model package group: versions are numbered by ' +
  'SageMaker when registered, so they cannot be listed at synth. The wildcard never reaches another group.';

/** The reason for ListModelPackages on '*'. */
export const LIST_WILDCARD_REASON =
  'sagemaker:ListModelPackages supports no resource-level permissions (Service Authorization Reference), so it can ' +
  'only be allowed on "*"; it returns version summaries (name, number, status), not package content, which ' +
  'DescribeModelPackage guards and which is scoped to the group.';
