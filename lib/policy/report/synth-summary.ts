import type { ComplianceResult } from '../engine';
import { REPORT_FILES } from './write-reports';

/**
 * What a synth prints once the packs have passed: stacks, resources, packs, findings, acknowledgments (each with its
 * reason, approver and expiry) and where the reports are.
 */
export function synthSummary(result: ComplianceResult, outdir: string): string {
  const stacks = new Set(result.resources.map((r) => r.stack ?? r.source)).size;
  const acknowledged = new Map(result.acknowledged.map((a) => [`${a.ruleId} ${a.record.scope}`, a.record]));
  const automatic = [...acknowledged.values()].filter((r) => r.automatic).length;
  const lines = [
    `regulated-mlops: ${stacks} stack(s), ${result.resources.length} resources checked, packs ${result.packs.map((p) => p.id).join(', ')}; ` +
    `findings ${result.findings.length}, acknowledgments ${acknowledged.size} (${automatic} automatic); ` +
    `reports in ${outdir}: ${Object.values(REPORT_FILES).join(', ')}`,
  ];
  for (const [key, record] of acknowledged) {
    lines.push(`  acknowledged ${key}: ${record.reason} (${record.approvedBy}${record.ticket ? `, ${record.ticket}` : ''}, until ${record.expires})`);
  }
  return lines.join('\n');
}
