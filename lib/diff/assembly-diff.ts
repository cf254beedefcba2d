import type { AcknowledgmentRecord } from '../policy/acknowledgment-records';
import type { EvaluationStatus } from '../policy/engine';
import type { TOOL } from '../policy/report/json-report';

/**
 * What a security reviewer must look at between two synths of an app (`regulated-mlops diff <old> <new> --format
 * json`). Every list is empty when there is nothing of its kind; `needsReview` is false only when all are.
 */
export interface AssemblyDiff {
  readonly tool: typeof TOOL;
  /** The old and the new cloud assembly, as named on the command line. */
  readonly old: string;
  readonly new: string;
  /** The date rules and acknowledgments were judged on, `YYYY-MM-DD`. */
  readonly date: string;
  /** Acknowledgments expiring within this many days of `date` (or already expired) are listed. */
  readonly expiringWithinDays: number;
  readonly needsReview: boolean;
  /** The length of each list below. */
  readonly counts: DiffCounts;
  /** Stacks paired by artifact id, then by CloudFormation stack name; the others were added or removed. */
  readonly stacks: { readonly added: readonly StackEntry[]; readonly removed: readonly RemovedStack[] };
  /** Permissions granted that were not: identity and resource policies, managed policy attachments. */
  readonly iam: readonly IamWidening[];
  /** Encryption or logging removed, public exposure added. */
  readonly weakened: readonly WeakenedControl[];
  readonly acknowledgments: AcknowledgmentChanges;
  /** Resources of paired stacks that CloudFormation would replace (a new physical resource; the old one is deleted). */
  readonly replacements: readonly Replacement[];
  /** Resources removed from paired stacks (those of removed stacks are under `stacks.removed`). */
  readonly removals: readonly Removal[];
}

export interface DiffCounts {
  readonly stacksAdded: number;
  readonly stacksRemoved: number;
  readonly iam: number;
  readonly weakened: number;
  readonly acknowledgmentsAdded: number;
  readonly acknowledgmentsRemoved: number;
  readonly acknowledgmentsChanged: number;
  readonly acknowledgmentsExpiring: number;
  readonly replacements: number;
  readonly removals: number;
}

/** A resource of a template. */
export interface ResourceRef {
  /** The stack's hierarchical id (`Stage/Stack`). */
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** The construct path, when the template or the manifest records it. */
  readonly constructPath?: string;
}

export interface StackEntry {
  /** The hierarchical id (`Stage/Stack`). */
  readonly stack: string;
  readonly artifactId: string;
  readonly stackName: string;
  readonly resources: number;
}

export interface RemovedStack extends StackEntry {
  /** Its stateful resources (data stores, keys, logs): deleted with the stack unless retained. */
  readonly stateful: readonly Removal[];
}

/** A statement as cloudformation-diff renders it: references as `${LogicalId}` / `${LogicalId.Attr}`. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** `AWS:${Role}` for an identity policy (the identity it is attached to). */
  readonly principals: readonly string[];
  /** Which of the lists are `NotAction`, `NotResource`, `NotPrincipal`. */
  readonly negated: readonly ('actions' | 'resources' | 'principals')[];
  readonly condition?: unknown;
  /** A statement built by an intrinsic function (`Fn::If`), as cloudformation-diff serializes it: effect `Unknown`. */
  readonly unparsed?: string;
}

export type Wildcard = 'action' | 'resource' | 'principal';

/** A permission widened, on the resource that holds the policy (a role, a policy, a bucket or key policy, ...). */
export type IamWidening = ResourceRef & (
  | {
    /** An Allow statement added (a statement rewritten into one that allows no more is not listed). */
    readonly change: 'statement-added';
    readonly statement: PolicyStatement;
    /** What the statement opens to everything: `*` or `service:*`-style actions, `*` resources, `*` principals. */
    readonly wildcards: readonly Wildcard[];
  }
  | {
    /** A Deny statement removed: whatever it denied is allowed again. */
    readonly change: 'deny-removed';
    readonly statement: PolicyStatement;
  }
  | {
    readonly change: 'managed-policy-attached';
    /** The identity, `${LogicalId}` or an ARN. */
    readonly identity: string;
    readonly managedPolicyArn: string;
  }
);

/** What a weakened control protected. */
export type Concern = 'encryption' | 'logging' | 'public-exposure';

export type WeakenedControl = RuleRegression | OpenIngress;

/** A rule of the encryption, logging or network themes that passed (or did not apply, or the resource is new) and now does not. */
export interface RuleRegression extends ResourceRef {
  readonly kind: 'rule';
  readonly concerns: readonly Concern[];
  readonly ruleId: string;
  readonly title: string;
  /** The property path the rule names (`Properties/LoggingConfiguration`). */
  readonly property: string;
  readonly message: string;
  /** The verdict in the new assembly. */
  readonly status: Exclude<EvaluationStatus, 'pass'>;
  /** The verdict in the old one: `absent` for a new resource, `not-applicable` when the rule did not apply. */
  readonly before: 'pass' | 'not-applicable' | 'absent';
  /** For `acknowledged`: the acknowledgment that waives it. */
  readonly acknowledgment?: AcknowledgmentRecord;
}

/** Security-group ingress from anywhere (0.0.0.0/0 or ::/0) added, on the resource that declares the rule. */
export interface OpenIngress extends ResourceRef {
  readonly kind: 'open-ingress';
  readonly concerns: readonly Concern[];
  /** The group the rule opens, `${LogicalId.GroupId}` or an id. */
  readonly group: string;
  /** `TCP 443`, `Everything`, ... */
  readonly protocol: string;
  /** `0.0.0.0/0`, `::/0`, or the intrinsic (as JSON) that may yield one. */
  readonly peer: string;
}

/** An acknowledgment with the resources it is recorded on (construct paths, else `stack/logicalId`). */
export interface AcknowledgmentEntry extends AcknowledgmentRecord {
  readonly resources: readonly string[];
}

export interface AcknowledgmentChange {
  readonly ruleId: string;
  readonly scope: string;
  readonly before: AcknowledgmentRecord;
  readonly after: AcknowledgmentRecord;
  readonly resources: readonly string[];
}

export interface ExpiringAcknowledgment extends AcknowledgmentEntry {
  /** Days from `date` to the last day it holds (0: its last day; negative: expired). */
  readonly daysLeft: number;
  readonly expired: boolean;
}

/** Acknowledgments are matched by rule id and scope (the construct path they were made on). */
export interface AcknowledgmentChanges {
  readonly added: readonly AcknowledgmentEntry[];
  readonly removed: readonly AcknowledgmentEntry[];
  /** Reason, approver, ticket or expiry changed (a renewal is one). */
  readonly changed: readonly AcknowledgmentChange[];
  /** Acknowledgments of the new assembly expiring within `expiringWithinDays` of `date`, or expired; changed or not. */
  readonly expiring: readonly ExpiringAcknowledgment[];
}

export interface Replacement extends ResourceRef {
  readonly impact: 'will-replace' | 'may-replace';
  /** The properties whose change causes it. */
  readonly causes: readonly ReplacementCause[];
  /** A data store, key or log: replacing it loses or orphans what it holds. */
  readonly stateful: boolean;
}

export interface ReplacementCause {
  /** The property (`Type` when the resource type changed). */
  readonly property: string;
  /** Set when the value itself is unchanged but references a resource that is replaced (its name or id changes). */
  readonly replacedReference?: string;
}

export interface Removal extends ResourceRef {
  /** `DeletionPolicy: Retain`: CloudFormation leaves the physical resource in place. */
  readonly retained: boolean;
  readonly stateful: boolean;
}
