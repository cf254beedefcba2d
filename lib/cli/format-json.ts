import type { ComplianceResult } from '../policy/engine';
import { buildComplianceReport } from '../policy/report/json-report';

/** The same machine-readable report a synth writes to `cdk.out/compliance-report.json`. */
export function formatJson(result: ComplianceResult): string {
  return `${JSON.stringify(buildComplianceReport(result), null, 2)}\n`;
}
