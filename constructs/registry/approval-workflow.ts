import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { IModelRegistry } from './i-model-registry';
import {
  acknowledgeWildcardResources, approverStatements, deployerStatements, LIST_WILDCARD_REASON, registrantStatements, VERSIONS_WILDCARD_REASON,
} from './registry-permissions';

/** Properties of an `ApprovalWorkflow`. */
export interface ApprovalWorkflowProps {
  /** The registry whose versions are registered, approved and deployed. */
  readonly registry: IModelRegistry;
  /**
   * The role that registers versions (a training pipeline's). Not with `registrantAssumedBy`.
   * @default - a role created here, assumed by `registrantAssumedBy`
   */
  readonly registrant?: iam.IRole;
  /**
   * Who assumes the registrant role created here.
   * @default - SageMaker (a SageMaker Pipelines execution role runs the RegisterModel step)
   */
  readonly registrantAssumedBy?: iam.IPrincipal;
  /**
   * The role that approves or rejects versions (the model validation team's). Not with `approverAssumedBy`.
   * @default - a role created here, assumed by `approverAssumedBy`
   */
  readonly approver?: iam.IRole;
  /**
   * Who assumes the approver role created here.
   * @default - principals of this account that IAM allows to assume it (the validators' federated roles)
   */
  readonly approverAssumedBy?: iam.IPrincipal;
  /**
   * The role that deploys approved versions (reads the registry, never registers or approves). Not with
   * `deployerAssumedBy`.
   * @default - a role created here if `deployerAssumedBy` is given, otherwise no deployer persona
   */
  readonly deployer?: iam.IRole;
  /**
   * Who assumes a deployer role created here (e.g. the deployment pipeline's service).
   * @default - no deployer role is created
   */
  readonly deployerAssumedBy?: iam.IPrincipal;
}

/**
 * Separation of duties for one model registry (SR 11-7 V effective challenge, NIST AC-5): the registrant, the
 * approver and (optionally) the deployer are different roles, and IAM keeps each to its step.
 *
 * Under the hood, one customer managed policy per persona, scoped to the group and its versions:
 * - registrant: CreateModelPackage allowed only with `sagemaker:ModelApprovalStatus = PendingManualApproval`
 *   stated in the request (register with `ModelApprovalStatus: 'PendingManualApproval'`), an explicit Deny of any
 *   other status or none (StringNotEqualsIfExists), and an explicit Deny of UpdateModelPackage: it can never approve,
 *   not even its own version;
 * - approver: UpdateModelPackage allowed only with the status `Approved` or `Rejected` (no other change), and an
 *   explicit Deny of CreateModelPackage: it can never register what it approves;
 * - deployer: read only, with explicit Denies of both;
 * - all three read the group, its versions and (through SageMaker) their encrypted content.
 * The Denies hold whatever else is attached to the roles. IAM cannot tell which person approved which version:
 * that approver and registrant differ per version is a runtime check on the state-change event.
 *
 * @example
 * const workflow = new ApprovalWorkflow(this, 'Approval', {
 *   registry,
 *   registrant: trainingPipelineRole,
 *   approverAssumedBy: new iam.ArnPrincipal(validatorsSsoRoleArn),
 * });
 */
export class ApprovalWorkflow extends Construct {
  /** The role that registers versions as `PendingManualApproval`. */
  public readonly registrant: iam.IRole;
  /** The role that approves or rejects versions. */
  public readonly approver: iam.IRole;
  /** The role that reads approved versions to deploy them, when there is one. */
  public readonly deployer?: iam.IRole;
  /** The registrant's policy. */
  public readonly registrantPolicy: iam.ManagedPolicy;
  /** The approver's policy. */
  public readonly approverPolicy: iam.ManagedPolicy;
  /** The deployer's policy, when there is a deployer. */
  public readonly deployerPolicy?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: ApprovalWorkflowProps) {
    super(scope, id);
    validate(this.node.path, props);
    const { registry } = props;
    const account = Stack.of(this).account;

    this.registrant = props.registrant ?? new iam.Role(this, 'Registrant', {
      assumedBy: props.registrantAssumedBy ?? new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Registers versions of ${registry.node.path} as PendingManualApproval; cannot approve`,
    });
    this.approver = props.approver ?? new iam.Role(this, 'Approver', {
      assumedBy: props.approverAssumedBy ?? new iam.AccountPrincipal(account),
      description: `Approves or rejects versions of ${registry.node.path}; cannot register`,
    });
    if (props.deployer || props.deployerAssumedBy) {
      this.deployer = props.deployer ?? new iam.Role(this, 'Deployer', {
        assumedBy: props.deployerAssumedBy!,
        description: `Reads approved versions of ${registry.node.path} to deploy them; cannot register or approve`,
      });
    }

    this.registrantPolicy = this.policy('RegistrantPolicy', this.registrant, registrantStatements(registry));
    this.approverPolicy = this.policy('ApproverPolicy', this.approver, approverStatements(registry));
    if (this.deployer) this.deployerPolicy = this.policy('DeployerPolicy', this.deployer, deployerStatements(registry));
  }

  private policy(id: string, role: iam.IRole, statements: iam.PolicyStatement[]): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, id, { roles: [role], statements });
    acknowledgeWildcardResources(policy, statements, { scoped: VERSIONS_WILDCARD_REASON, any: LIST_WILDCARD_REASON });
    return policy;
  }
}

function validate(path: string, props: ApprovalWorkflowProps): void {
  const problems = new ProblemCollector(path, 'ApprovalWorkflow');
  const both = (role: string, principal: string, given: boolean) => problems.check(given, principal, 'a principal together with a role',
    `${role} or ${principal}, not both`, `drop ${principal}: the trust policy of a role you pass is yours to set`);
  both('registrant', 'registrantAssumedBy', props.registrant !== undefined && props.registrantAssumedBy !== undefined);
  both('approver', 'approverAssumedBy', props.approver !== undefined && props.approverAssumedBy !== undefined);
  both('deployer', 'deployerAssumedBy', props.deployer !== undefined && props.deployerAssumedBy !== undefined);

  const personas: [string, iam.IRole | undefined][] = [['registrant', props.registrant], ['approver', props.approver], ['deployer', props.deployer]];
  personas.forEach(([name, role], i) => {
    if (!role) return;
    const earlier = personas.slice(0, i).find(([, other]) => other !== undefined && sameRole(role, other));
    if (earlier) {
      problems.add(name, `the role ${role.node.path} (already the ${earlier[0]})`, `a role that is not the ${earlier[0]}`,
        `give each persona its own role (separation of duties): pass another role as ${name}, or omit ${name} to create one; ` +
          `the explicit Denies would otherwise leave one role unable to do either step`);
    }
  });
  problems.throwIfAny();
}

/** The same construct, or two imports of one literal role ARN. */
function sameRole(a: iam.IRole, b: iam.IRole): boolean {
  if (a === b) return true;
  return !Token.isUnresolved(a.roleArn) && a.roleArn === b.roleArn;
}
