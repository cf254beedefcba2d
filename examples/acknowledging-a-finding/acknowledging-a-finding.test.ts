import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ACKNOWLEDGMENTS_METADATA_KEY, ALL_PACKS, ComplianceReport, REPORT_FILES } from '../../lib';
import { runCli, tempDir } from '../../test/cli/run-cli';
import { findingLines } from '../../test/compliance-harness';
import { buildClaimsTriageApp } from './claims-triage-app';
import type { ClaimsTriageStack } from './claims-triage-stack';

const context = JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.json'), 'utf-8')).context;
const ACKNOWLEDGMENT = {
  ruleId: 'MLOPS-SM-030', scope: 'ClaimsTriage/Endpoint', approvedBy: 'a.moreau (Head of Model Risk)', ticket: 'MRM-431', expires: '2027-02-28',
};

/** The example app as `npx cdk synth -c now=<day>` builds it (cdk.json's context and the command line's). */
function judgedOn(day: string) {
  const outdir = tempDir('acknowledging-a-finding');
  const app = new App({ outdir, context: { ...context, now: day } });
  const compliance = buildClaimsTriageApp(app);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const report: ComplianceReport = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_FILES.json), 'utf-8'));
  const stack = app.node.findChild('ClaimsTriage') as ClaimsTriageStack;
  return { outdir, stack, result: compliance.lastResult!, error, report, markdown: fs.readFileSync(path.join(outdir, REPORT_FILES.markdown), 'utf-8') };
}

const lastDay = judgedOn('2027-02-28');
const dayAfter = judgedOn('2027-03-01');

describe('on its last day, 2027-02-28, the acknowledgment holds', () => {
  const { outdir, stack, result, error, report, markdown } = lastDay;
  const endpoint = stack.resolve(stack.getLogicalId(stack.endpoint.endpoint));

  test('the synth passes, the finding waived', () => {
    expect(error).toBeUndefined();
    expect(findingLines(result)).toEqual([]);
    expect(result.acknowledged.map((a) => `${a.ruleId} ${a.resource.constructPath}`)).toEqual(['MLOPS-SM-030 ClaimsTriage/Endpoint/Resource']);
  });

  test('the report\'s ledger lists who accepted what, why, and until when', () => {
    expect(report.verdict).toBe('compliant');
    expect(report.acknowledgments).toEqual([expect.objectContaining({ ...ACKNOWLEDGMENT, status: 'active', resources: [`ClaimsTriage/${endpoint}`] })]);
    expect(report.acknowledgments[0].reason).toMatch(/^The training data predates the October 2026 home-cover product change/);
    expect(markdown).toMatch(/\| MLOPS-SM-030 \| ClaimsTriage\/Endpoint \| active \| The training data predates .* \| a\.moreau \(Head of Model Risk\) \| MRM-431 \| 2027-02-28 \| 1 \|/);
  });

  test('the template carries the acknowledgment on the endpoint, for reviewers and `regulated-mlops check`', () => {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ClaimsTriage.template.json'), 'utf-8'));
    expect(template.Resources[endpoint].Metadata[ACKNOWLEDGMENTS_METADATA_KEY]).toEqual([expect.objectContaining(ACKNOWLEDGMENT)]);
  });
});

describe('the day after, 2027-03-01, the same app fails', () => {
  const { error, report, markdown } = dayAfter;

  test('the synth stops on the finding, naming the expired acknowledgment, its approver and ticket', () => {
    expect(error?.message).toContain(
      '[medium] Production SageMaker endpoint has drift monitoring (a monitoring schedule or a drift job): ' +
      'no MonitoringSchedule names this endpoint and no drift job is marked for it',
    );
    expect(error?.message).toContain('Acknowledgment by a.moreau (Head of Model Risk) (MRM-431) expired on 2027-02-28.');
    expect(error?.message).toMatch(/ClaimsTriage\/Endpoint\/Resource[\s\S]*Rule regulated-mlops::MLOPS-SM-030/);
  });

  test('the report says non-compliant and marks the acknowledgment expired', () => {
    expect(report.verdict).toBe('non-compliant');
    expect(report.findings.map((f) => `${f.ruleId} ${f.constructPath} expired ${f.expiredAcknowledgment?.expires}`)).toEqual([
      'MLOPS-SM-030 ClaimsTriage/Endpoint/Resource expired 2027-02-28',
    ]);
    expect(report.acknowledgments).toEqual([expect.objectContaining({ ...ACKNOWLEDGMENT, status: 'expired' })]);
    expect(markdown).toContain('**Verdict: NON-COMPLIANT**');
  });

  test('`regulated-mlops check --now` gives the same verdict on the cloud assembly of the day before', () => {
    const run = runCli(['check', lastDay.outdir, '--now', '2027-03-01']);
    expect(run.stdout).toContain('  waiver:      acknowledgment by a.moreau (Head of Model Risk) (MRM-431) expired on 2027-02-28\n');
    expect(run.stdout).toMatch(new RegExp(`\\n1 finding in \\d+ resources \\(${ALL_PACKS.length} packs\\)\\n$`));
    expect(run.code).toBe(1);
  });
});

describe('an exception to encryption at rest', () => {
  test('cannot be acknowledged, whoever approves (-c waive-encryption=true)', () => {
    expect(() => buildClaimsTriageApp(new App({ context: { ...context, 'waive-encryption': 'true' } }))).toThrow(
      '[AcknowledgmentRefused] Cannot acknowledge MLOPS-S3-001 at ClaimsTriage/Endpoint/DataCapture/Resource (1 problem):\n' +
      '  1. ClaimsTriage/Endpoint/DataCapture/Resource:ruleId: received \'MLOPS-S3-001\'; allowed: a rule that may be acknowledged; ' +
      'MLOPS-S3-001 (S3 bucket encrypts with SSE-KMS and a customer-managed key) may not. Fix: Use regulated-mlops EncryptedBucket',
    );
  });
});

test('a day that is not YYYY-MM-DD is refused with the fix (-c now=soon)', () => {
  expect(() => buildClaimsTriageApp(new App({ context: { ...context, now: 'soon' } }))).toThrow(
    "[InvalidConfiguration] Context value now is not a date (1 problem):\n  1. context:now: received 'soon'; allowed: a date YYYY-MM-DD. Fix: pass -c now=2027-03-01",
  );
});
