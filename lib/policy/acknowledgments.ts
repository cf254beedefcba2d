import { AspectPriority, Aspects, CfnResource, IAspect, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RegulatedMlopsError } from '../core/errors';
import {
  ACKNOWLEDGMENTS_METADATA_KEY, acknowledgmentProblems, AcknowledgmentOptions, AcknowledgmentRecord, PLUGIN_NAME,
} from './acknowledgment-records';

export { ACKNOWLEDGMENTS_METADATA_KEY, PLUGIN_NAME };
export type { AcknowledgmentOptions, AcknowledgmentRecord };

/**
 * Records that a finding is accepted for `scope` and everything below it. The only way past a rule.
 *
 * Fails at once for a rule that may not be acknowledged, a missing reason or approver, or a malformed
 * date. An `expires` date in the past fails the synth (reported against the resources it covered).
 * Also registered with CDK's `Validations.of(scope).acknowledge`, so cdk-nag and CDK's report see it.
 */
export function acknowledge(scope: IConstruct, ruleId: string, options: AcknowledgmentOptions): void {
  recordAcknowledgment(scope, ruleId, options, false);
}

/** @internal for library constructs that must waive a rule because AWS makes the control impossible. */
export function acknowledgeAutomatically(scope: IConstruct, ruleId: string, reason: string): void {
  recordAcknowledgment(
    scope, ruleId, { reason, approvedBy: 'regulated-mlops (automatic)', expires: '9999-12-31' }, true,
  );
}

function recordAcknowledgment(scope: IConstruct, ruleId: string, options: AcknowledgmentOptions, automatic: boolean): void {
  const path = scope.node.path || '<app>';
  const problems = acknowledgmentProblems(ruleId, options).map((p) => ({ path: `${path}:${p.field}`, ...p }));
  if (problems.length > 0) {
    const refused = problems.some((p) => p.field === 'ruleId' && p.refused);
    throw new RegulatedMlopsError(
      refused ? 'AcknowledgmentRefused' : 'InvalidAcknowledgment',
      `Cannot acknowledge ${ruleId} at ${path}`,
      problems.map(({ path: where, received, allowed, fix }) => ({ path: where, received, allowed, fix })),
    );
  }
  const record: AcknowledgmentRecord = {
    ruleId,
    reason: options.reason.trim(),
    approvedBy: options.approvedBy.trim(),
    ...(options.ticket ? { ticket: options.ticket } : {}),
    expires: options.expires,
    scope: path,
    ...(automatic ? { automatic } : {}),
  };
  Aspects.of(scope).add(new RecordAcknowledgment(record), { priority: AspectPriority.MUTATING });
  Validations.of(scope).acknowledge({
    id: `${PLUGIN_NAME}::${ruleId}`,
    reason: `${record.reason} (approved by ${record.approvedBy}${record.ticket ? `, ${record.ticket}` : ''}, until ${record.expires})`,
  });
}

/** Writes the acknowledgment into the metadata of every CloudFormation resource below its scope. */
class RecordAcknowledgment implements IAspect {
  constructor(private readonly record: AcknowledgmentRecord) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const existing = (node.getMetadata(ACKNOWLEDGMENTS_METADATA_KEY) as AcknowledgmentRecord[] | undefined) ?? [];
    if (existing.some((r) => r.ruleId === this.record.ruleId && r.scope === this.record.scope)) return;
    node.addMetadata(ACKNOWLEDGMENTS_METADATA_KEY, [...existing, this.record]);
  }
}
