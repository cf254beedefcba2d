#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { Compliance } from '../lib/policy/compliance';
import { FoundationStack } from '../lib/stacks/foundation-stack';

// Env-agnostic stacks: synth needs no AWS credentials and does no lookups.
const app = new App();
new FoundationStack(app, 'RegulatedMlopsFoundation');
const compliance = Compliance.enforce(app);
app.synth();

// A violation has already stopped the synth (CDK printed the findings); this is the summary of a compliant one.
const result = compliance.lastResult;
if (result) {
  const stacks = new Set(result.resources.map((r) => r.stack)).size;
  const acknowledged = new Map(result.acknowledged.map((a) => [`${a.ruleId} ${a.record.scope}`, a.record]));
  console.error(
    `regulated-mlops: ${stacks} stack(s), ${result.resources.length} resources checked, packs ${result.packs.map((p) => p.id).join(', ')}; ` +
    `findings ${result.findings.length}, acknowledgments ${acknowledged.size}; reports in ${app.outdir}/compliance-report.{json,md}`,
  );
  for (const [key, record] of acknowledged) {
    console.error(`  acknowledged ${key}: ${record.reason} (${record.approvedBy}, until ${record.expires})`);
  }
}
