import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { acknowledge, ACKNOWLEDGMENTS_METADATA_KEY } from '../../lib/policy/acknowledgments';
import { Compliance } from '../../lib/policy/compliance';
import { HIPAA_SECURITY, PCI_DSS_V4 } from '../../lib/policy/packs';
import type { ComplianceReport } from '../../lib/policy/report/json-report';

const NOW = new Date('2026-11-26T12:00:00Z');
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ACK = { reason: 'Logs of the sandbox are kept for the quarter only', approvedBy: 'jane.doe (CISO office)', ticket: 'RISK-42' };

/** A log group that fails only MLOPS-LOGS-002 (no declared retention): the acknowledgeable finding of these tests. */
function logGroupWithoutRetention(stack: Stack, id: string): logs.CfnLogGroup {
  return new logs.CfnLogGroup(stack, id, { kmsKeyId: KEY_ARN });
}

function synthFails(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth passed');
}

describe('Compliance.enforce on a non-compliant app', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'enforce-'));
  const app = new App({ outdir });
  const raw = new Stack(app, 'Raw');
  new s3.CfnBucket(raw, 'Unencrypted', {});
  const overridden = new Stack(app, 'Overridden');
  const bucket = new s3.Bucket(overridden, 'Data', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(overridden, 'Key', { enableKeyRotation: true }) });
  (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm', 'AES256');
  const expired = new Stack(app, 'Expired');
  const stale = logGroupWithoutRetention(expired, 'Logs');
  acknowledge(stale, 'MLOPS-LOGS-002', { ...ACK, expires: '2026-11-25' });
  const plugin = Compliance.enforce(app, { packs: [HIPAA_SECURITY, PCI_DSS_V4], now: NOW, earlyFeedback: true });
  const error = synthFails(app);
  const validation = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
  const violations: any[] = validation.pluginReports.flatMap((r: any) => r.violations);
  const report: ComplianceReport = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));

  it('stops the synth with the report', () => expect(error).toMatch(/MLOPS-S3-001[\s\S]*Raw\/Unencrypted/));

  it('refuses a raw CfnBucket without encryption, naming rule, controls, construct path, property and fix', () => {
    const v = violations.find((x) => x.ruleName === 'MLOPS-S3-001' && x.violatingConstructs.some((r: any) => r.constructPath === 'Raw/Unencrypted'));
    expect(v).toBeDefined();
    expect(v.description).toContain('S3 bucket encrypts with SSE-KMS');
    expect(v.description).toContain('HIPAA 164.312(a)(2)(iv)');
    expect(v.description).toContain('PCI DSS 4.0.1 3.5.1');
    expect(v.description).toContain('Properties/BucketEncryption');
    expect(v.suggestedFix).toContain('BucketEncryption.KMS');
    expect(v.violatingConstructs[0].cloudFormationResource).toMatchObject({ logicalId: 'Unencrypted', propertyPaths: ['Properties/BucketEncryption'] });
  });

  it('refuses a compliant bucket broken with addPropertyOverride', () => {
    const finding = plugin.lastResult!.findings.find((f) => f.stack === 'Overridden' && f.ruleId === 'MLOPS-S3-001');
    expect(finding).toMatchObject({
      constructPath: 'Overridden/Data/Resource',
      path: 'Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm',
      message: expect.stringContaining('AES256'),
    });
  });

  it('fails an expired acknowledgment, saying who approved it and when it expired', () => {
    const finding = plugin.lastResult!.findings.find((f) => f.stack === 'Expired');
    expect(finding).toMatchObject({ ruleId: 'MLOPS-LOGS-002', expiredAcknowledgment: { approvedBy: ACK.approvedBy, expires: '2026-11-25' } });
    const v = violations.find((x) => x.ruleName === 'MLOPS-LOGS-002');
    expect(v.description).toContain('expired on 2026-11-25');
    expect(report.acknowledgments).toEqual([expect.objectContaining({ ruleId: 'MLOPS-LOGS-002', status: 'expired' })]);
  });

  it('reports violations as fatal, so a bare Validations.acknowledge cannot waive them', () => {
    expect(new Set(violations.filter((x) => x.ruleName.startsWith('MLOPS-')).map((x) => x.severity))).toEqual(new Set(['fatal']));
  });

  it('writes both reports into the cloud assembly even when the synth fails', () => {
    expect(report.verdict).toBe('non-compliant');
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['MLOPS-S3-001', 'MLOPS-LOGS-002']));
    expect(fs.readFileSync(path.join(outdir, 'compliance-report.md'), 'utf-8')).toContain('**Verdict: NON-COMPLIANT**');
  });

  it('gives the same verdict at the construct through the policy aspect', () => {
    const aspectRules = (construct: IConstruct) => construct.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => String(m.data).split(' ')[0]).sort();
    const pluginRules = (constructPath: string) => plugin.lastResult!.findings.filter((f) => f.constructPath === constructPath).map((f) => f.ruleId).sort();
    const unencrypted = raw.node.findChild('Unencrypted');
    expect(aspectRules(unencrypted)).toContain('MLOPS-S3-001');
    expect(aspectRules(unencrypted)).toEqual(pluginRules('Raw/Unencrypted'));
    expect(aspectRules(bucket.node.defaultChild!)).toEqual(pluginRules('Overridden/Data/Resource'));
    expect(String(unencrypted.node.metadata.find((m) => String(m.data).startsWith('MLOPS-S3-001'))!.data)).toMatch(/Properties\/BucketEncryption.*Fix: Use regulated-mlops EncryptedBucket/);
  });
});

describe('acknowledge', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ack-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Sandbox');
  const covered = logGroupWithoutRetention(stack, 'Covered');
  acknowledge(stack, 'MLOPS-LOGS-002', { ...ACK, expires: '2027-02-28' });
  const other = new Stack(app, 'Other');
  const acknowledgedSibling = logGroupWithoutRetention(other, 'Sibling');
  acknowledge(acknowledgedSibling, 'MLOPS-LOGS-002', { ...ACK, expires: '2026-11-26' });
  const plugin = Compliance.enforce(app, { packs: [HIPAA_SECURITY], now: NOW });
  app.synth();
  const report: ComplianceReport = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf-8'));

  it('waives the finding for the scope and everything below it; the synth passes', () => {
    expect(plugin.lastResult!.findings).toEqual([]);
    expect(plugin.lastResult!.acknowledged.map((a) => `${a.resource.stack}/${a.resource.logicalId}`).sort()).toEqual(['Other/Sibling', 'Sandbox/Covered']);
  });

  it('holds through the whole expiry day', () => {
    expect(plugin.lastResult!.acknowledged.find((a) => a.resource.stack === 'Other')!.record.expires).toBe('2026-11-26');
  });

  it('records who, why and until when in the template metadata', () => {
    const resource = Template.fromStack(stack).toJSON().Resources.Covered;
    expect(resource.Metadata[ACKNOWLEDGMENTS_METADATA_KEY]).toEqual([
      { ruleId: 'MLOPS-LOGS-002', reason: ACK.reason, approvedBy: ACK.approvedBy, ticket: 'RISK-42', expires: '2027-02-28', scope: 'Sandbox' },
    ]);
    expect(covered.node.path).toBe('Sandbox/Covered');
  });

  it('records it in the report ledger', () => {
    expect(report.verdict).toBe('compliant');
    expect(report.acknowledgments).toEqual(expect.arrayContaining([
      expect.objectContaining({ ruleId: 'MLOPS-LOGS-002', scope: 'Sandbox', status: 'active', approvedBy: ACK.approvedBy, resources: ['Sandbox/Covered'] }),
    ]));
    expect(report.summary.acknowledgments).toBe(2);
  });

  it('is registered with CDK Validations so cdk-nag and CDK see it', () => {
    const entries = stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(entries[0].data).toEqual({ 'regulated-mlops::MLOPS-LOGS-002': expect.stringContaining('approved by jane.doe (CISO office), RISK-42, until 2027-02-28') });
  });

  it('refuses a rule that may not be acknowledged', () => {
    const s = new Stack(new App(), 'S');
    expect(() => acknowledge(s, 'MLOPS-S3-001', { ...ACK, expires: '2027-01-01' })).toThrow(
      expect.objectContaining({ code: 'AcknowledgmentRefused', message: expect.stringContaining('MLOPS-S3-001 (S3 bucket encrypts with SSE-KMS and a customer-managed key) may not') }),
    );
  });

  it('fails without a reason or an approver, listing both problems', () => {
    const s = new Stack(new App(), 'S');
    expect(() => acknowledge(s, 'MLOPS-LOGS-002', { reason: '', approvedBy: ' ', expires: '2027-01-01' })).toThrow(
      expect.objectContaining({ code: 'InvalidAcknowledgment', message: expect.stringMatching(/S:reason: received ''[\s\S]*S:approvedBy: received ' '/) }),
    );
  });

  it('fails with a malformed date or an unknown rule id', () => {
    const s = new Stack(new App(), 'S');
    expect(() => acknowledge(s, 'MLOPS-LOGS-002', { ...ACK, expires: '31/12/2026' })).toThrow(/S:expires: received '31\/12\/2026'; allowed: a date YYYY-MM-DD/);
    expect(() => acknowledge(s, 'MLOPS-NOPE-001', { ...ACK, expires: '2027-01-01' })).toThrow(/S:ruleId: received 'MLOPS-NOPE-001'/);
  });
});

describe('Compliance.enforce options', () => {
  it('fails when given no pack', () => {
    expect(() => Compliance.enforce(new App(), { packs: [] })).toThrow(/needs at least one pack/);
  });
});
