import { App } from 'aws-cdk-lib';
import { Compliance, CompliancePlugin, describeValue, RegulatedMlopsError } from '../../lib';
import { waiveCaptureEncryption } from './capture-encryption-waiver';
import { ClaimsTriageStack } from './claims-triage-stack';

/**
 * Adds the claims-triage stack to `app` and enforces every pack, as the context asks:
 * - `now=YYYY-MM-DD` judges the app on that day instead of today (e.g. the day after the acknowledgment expires);
 * - `waive-encryption=true` also tries to acknowledge a rule that may not be acknowledged.
 */
export function buildClaimsTriageApp(app: App): CompliancePlugin {
  const stack = new ClaimsTriageStack(app, 'ClaimsTriage');
  if (String(app.node.tryGetContext('waive-encryption')) === 'true') waiveCaptureEncryption(stack);
  return Compliance.enforce(app, { now: dateFromContext(app, 'now') });
}

function dateFromContext(app: App, key: string): Date | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(value)) || Number.isNaN(date.getTime())) {
    throw new RegulatedMlopsError('InvalidConfiguration', `Context value ${key} is not a date`, [
      { path: `context:${key}`, received: describeValue(value), allowed: 'a date YYYY-MM-DD', fix: `pass -c ${key}=2027-03-01` },
    ]);
  }
  return date;
}
