import * as fs from 'fs';
import * as path from 'path';
import type { ComplianceResult } from '../engine';
import { buildComplianceReport, ComplianceReport } from './json-report';
import { renderMarkdownReport } from './markdown-report';

/** File names of the reports written beside the templates. */
export const REPORT_FILES = { json: 'compliance-report.json', markdown: 'compliance-report.md' } as const;

/** Writes `compliance-report.json` and `compliance-report.md` into `directory`; returns the JSON report. */
export function writeReports(result: ComplianceResult, directory: string): ComplianceReport {
  const report = buildComplianceReport(result);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, REPORT_FILES.json), JSON.stringify(report, null, 1));
  fs.writeFileSync(path.join(directory, REPORT_FILES.markdown), renderMarkdownReport(report));
  return report;
}
