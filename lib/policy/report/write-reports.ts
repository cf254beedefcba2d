import * as fs from 'fs';
import * as path from 'path';
import type { ComplianceResult } from '../engine';
import { renderHtmlReport } from './html-report';
import { buildComplianceReport, ComplianceReport } from './json-report';
import { renderMarkdownReport } from './markdown-report';
import { findModelCards } from './model-card-links';
import { renderOscalAssessmentResults } from './oscal-report';
import { REPORT_FILES } from './report-files';

export { REPORT_FILES };

/**
 * Writes the four reports into `directory` (a cloud assembly): `compliance-report.json`, `.md`, `.html` (linking the
 * model cards found in the assembly and its nested stage assemblies) and `.oscal.json`; returns the JSON report.
 */
export function writeReports(result: ComplianceResult, directory: string): ComplianceReport {
  const report = buildComplianceReport(result);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, REPORT_FILES.json), JSON.stringify(report, null, 1));
  fs.writeFileSync(path.join(directory, REPORT_FILES.markdown), renderMarkdownReport(report));
  fs.writeFileSync(path.join(directory, REPORT_FILES.html), renderHtmlReport(report, { modelCards: findModelCards(directory) }));
  fs.writeFileSync(path.join(directory, REPORT_FILES.oscal), JSON.stringify(renderOscalAssessmentResults(report), null, 1));
  return report;
}
