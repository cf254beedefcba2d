import { describeValue } from '../core/errors';
import { isPlainObject, K8S_ACKNOWLEDGMENTS_ANNOTATION, RenderedResource } from './document';
import { ruleById } from './rules/catalog';

/** The details a reviewer needs to accept an exception. */
export interface AcknowledgmentOptions {
  /** Why the finding is acceptable here (a sentence a security reviewer would accept). */
  readonly reason: string;
  /** Who approved it (name or role, e.g. `jane.doe (CISO office)`). */
  readonly approvedBy: string;
  /** The risk-acceptance ticket. @default - none recorded */
  readonly ticket?: string;
  /** Last day the acknowledgment holds, `YYYY-MM-DD`. After it the finding fails the synth again. */
  readonly expires: string;
}

/** CloudFormation resource metadata key holding the acknowledgments that apply to the resource. */
export const ACKNOWLEDGMENTS_METADATA_KEY = 'regulated-mlops:acknowledgments';

/** The namespace CDK gives our plugin's rule ids (`regulated-mlops::MLOPS-S3-001`). */
export const PLUGIN_NAME = 'regulated-mlops';

/** An acknowledgment as recorded in template metadata and in the report. */
export interface AcknowledgmentRecord {
  readonly ruleId: string;
  readonly reason: string;
  readonly approvedBy: string;
  readonly ticket?: string;
  readonly expires: string;
  /** The construct path it was made on (it covers every resource below). */
  readonly scope: string;
  /** Made by a library construct for a reason AWS imposes (e.g. NVMe instance storage). */
  readonly automatic?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface AckProblem {
  readonly field: string;
  readonly received: string;
  readonly allowed: string;
  readonly fix: string;
  readonly refused?: boolean;
}

/** What is wrong with an acknowledgment (also used for acknowledgments read back from a template). */
export function acknowledgmentProblems(ruleId: string, options: Partial<AcknowledgmentOptions>): AckProblem[] {
  const problems: AckProblem[] = [];
  const rule = ruleById(ruleId);
  if (!rule) {
    problems.push({ field: 'ruleId', received: describeValue(ruleId), allowed: 'a rule id of the catalog (regulated-mlops rules)', fix: 'copy the id from the finding' });
  } else if (!rule.acknowledgeable) {
    problems.push({
      field: 'ruleId', refused: true, received: describeValue(ruleId),
      allowed: `a rule that may be acknowledged; ${ruleId} (${rule.title}) may not`,
      fix: rule.fix,
    });
  }
  if (!options.reason || options.reason.trim().length < 10) {
    problems.push({ field: 'reason', received: describeValue(options.reason), allowed: 'a reason of at least 10 characters', fix: 'say why the finding is acceptable here' });
  }
  if (!options.approvedBy || options.approvedBy.trim() === '') {
    problems.push({ field: 'approvedBy', received: describeValue(options.approvedBy), allowed: 'the approver\'s name or role', fix: 'name who accepted the risk' });
  }
  if (!options.expires || !DATE.test(options.expires) || Number.isNaN(Date.parse(options.expires))) {
    problems.push({ field: 'expires', received: describeValue(options.expires), allowed: 'a date YYYY-MM-DD', fix: 'set the last day the exception holds, e.g. 90 days from today' });
  }
  return problems;
}

/** True when the acknowledgment no longer holds on `now` (it holds through the whole `expires` day). */
export function isExpired(record: AcknowledgmentRecord, now: Date): boolean {
  return now.toISOString().slice(0, 10) > record.expires;
}

/** The acknowledgments recorded on a rendered resource (template metadata or Kubernetes annotation). */
export function acknowledgmentsOf(resource: RenderedResource): AcknowledgmentRecord[] {
  let raw: unknown = resource.metadata[ACKNOWLEDGMENTS_METADATA_KEY] ?? resource.metadata[K8S_ACKNOWLEDGMENTS_ANNOTATION];
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter((r): r is AcknowledgmentRecord => isPlainObject(r) && typeof r.ruleId === 'string');
}

