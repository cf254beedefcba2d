import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelCard, ModelCardRiskRating } from '../../../constructs/registry/model-card';
import { acknowledge } from '../../../lib/policy/acknowledgments';
import { Compliance } from '../../../lib/policy/compliance';
import type { ComplianceResult } from '../../../lib/policy/engine';
import type { ComplianceReport } from '../../../lib/policy/report/json-report';
import { REPORT_FILES } from '../../../lib/policy/report/write-reports';
import { tempDir } from '../../cli/run-cli';

/** The synth date of the report apps. */
export const NOW = new Date('2026-11-26T12:00:00Z');
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Text with every character HTML must escape, as templates may carry it in reasons, messages and construct ids. */
export const MARKUP = `<b>&"it's"</b>`;
/** An acknowledgment whose reason, approver and ticket hold markup; it expires 10 days after NOW. */
export const SOON = { reason: `Sandbox logs kept for the quarter ${MARKUP}`, approvedBy: `jane.doe <CISO & co>`, ticket: 'RISK-"42"', expires: '2026-12-06' };
/** An acknowledgment that holds well beyond the warning window. */
export const LATER = { reason: 'Experiment logs are deleted with the experiment', approvedBy: 'ml-platform-lead', expires: '2027-06-30' };
/** An acknowledgment that expired the day before NOW: its finding fails the synth again. */
export const EXPIRED = { reason: 'Migration window for the legacy log group', approvedBy: 'ops-manager', ticket: 'CHG-7', expires: '2026-11-25' };

/** A log group that fails only MLOPS-LOGS-002 (no declared retention), a rule that may be acknowledged. */
function logGroupWithoutRetention(stack: Stack, id: string): logs.CfnLogGroup {
  return new logs.CfnLogGroup(stack, id, { kmsKeyId: KEY_ARN });
}

/** Two model cards: one in the app's assembly, one in a nested stage's (each stage writes its own assembly). */
export function addModelCards(app: App): { readonly rootCard: ModelCard; readonly stageCard: ModelCard } {
  const registry = new Stack(app, 'Registry');
  const rootCard = new ModelCard(registry, 'Card', {
    modelName: `churn ${MARKUP}`, description: 'Churn propensity', trainingData: [],
    intendedUses: { purposeOfModel: 'Retention offers', intendedUses: 'Marketing', riskRating: ModelCardRiskRating.LOW },
    encryptionKey: new kms.Key(registry, 'Key', { enableKeyRotation: true }),
  });
  const prod = new Stack(new Stage(app, 'Prod'), 'Models');
  const stageCard = new ModelCard(prod, 'Card', {
    modelName: 'credit-risk', description: 'Probability of default', trainingData: [],
    intendedUses: { purposeOfModel: 'Credit decisioning support', intendedUses: 'Retail loans', riskRating: ModelCardRiskRating.MEDIUM },
    encryptionKey: new kms.Key(prod, 'Key', { enableKeyRotation: true }),
  });
  return { rootCard, stageCard };
}

/** A sandbox whose findings are acknowledged: one acknowledgment expires within 30 days of NOW, one later. */
export function addAcknowledgedSandbox(app: App): Stack {
  const sandbox = new Stack(app, 'Sandbox');
  acknowledge(logGroupWithoutRetention(sandbox, 'Quarterly'), 'MLOPS-LOGS-002', SOON);
  acknowledge(logGroupWithoutRetention(sandbox, 'Experiments'), 'MLOPS-LOGS-002', LATER);
  return sandbox;
}

/** Findings: a bucket with none of the secure settings, its construct id holding markup. */
export function addUnencryptedBucket(app: App): Stack {
  const raw = new Stack(app, 'Raw');
  new s3.CfnBucket(raw, `Data${MARKUP}`, {});
  return raw;
}

/** A finding whose acknowledgment expired the day before NOW. */
export function addExpiredAcknowledgment(app: App): Stack {
  const stale = new Stack(app, 'Stale');
  acknowledge(logGroupWithoutRetention(stale, 'Legacy'), 'MLOPS-LOGS-002', EXPIRED);
  return stale;
}

/** A synthesized app: its cloud assembly, the evaluation and the JSON report written into it. */
export interface SynthesizedApp {
  readonly outdir: string;
  readonly result: ComplianceResult;
  readonly report: ComplianceReport;
}

/** Synthesizes an app built by `build` with every pack enforced on `now`; findings fail the synth, the reports are written. */
export function synthesize(build: (app: App) => unknown, now: Date = NOW): SynthesizedApp {
  const outdir = tempDir('report');
  const app = new App({ outdir });
  build(app);
  const compliance = Compliance.enforce(app, { now });
  try {
    app.synth();
  } catch (e) {
    // Findings stop the synth after the reports are written.
    if ((e as Error).name !== 'ValidationFailed') throw e;
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, REPORT_FILES.json), 'utf-8'));
  return { outdir, result: compliance.lastResult!, report };
}
