/** File names of the reports written beside the templates. */
export const REPORT_FILES = {
  json: 'compliance-report.json',
  markdown: 'compliance-report.md',
  html: 'compliance-report.html',
  oscal: 'compliance-report.oscal.json',
} as const;
