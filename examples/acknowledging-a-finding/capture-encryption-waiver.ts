import { acknowledge } from '../../lib';
import type { ClaimsTriageStack } from './claims-triage-stack';

/**
 * What no approver can sign: an exception to encryption at rest of the captured claims data. `acknowledge` refuses a
 * rule that protects encryption at rest or the audit trail at once, with `AcknowledgmentRefused`, before anything is
 * synthesized.
 */
export function waiveCaptureEncryption(stack: ClaimsTriageStack): void {
  acknowledge(stack.endpoint.dataCaptureBucket!, 'MLOPS-S3-001', {
    reason: 'The claims-labelling vendor reads the captured requests with a tool that cannot call KMS',
    approvedBy: 'a.moreau (Head of Model Risk)',
    ticket: 'MRM-432',
    expires: '2027-02-28',
  });
}
