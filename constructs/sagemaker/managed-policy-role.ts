import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of a `ManagedPolicyRole`. */
export interface ManagedPolicyRoleProps extends iam.RoleProps {
  /** Description of the role's customer-managed policy. */
  readonly policyDescription: string;
}

/**
 * A role whose every grant lands in one customer-managed policy instead of CDK's inline default policy (HIPAA, NIST
 * and PCI `IAMNoInlinePolicy`). Grants still go through the normal `grant*` paths, so a `KeyRing` key marks the role
 * with its purpose tag as it does for any role, and CDK constructs that grant to the role they are given (a
 * function's dead-letter queue) need no special handling.
 *
 * Not exported from the package: an implementation detail of the drift monitor's roles.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The policy holding every statement granted to the role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ManagedPolicyRoleProps) {
    const { policyDescription, ...roleProps } = props;
    super(scope, id, roleProps);
    this.policy = new iam.ManagedPolicy(this, 'Policy', { description: policyDescription, roles: [this] });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
