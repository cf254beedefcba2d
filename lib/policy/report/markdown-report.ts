import type { ComplianceReport } from './json-report';

/** Renders the report for people (`compliance-report.md`): verdict, findings, control matrix, ledger. */
export function renderMarkdownReport(report: ComplianceReport): string {
  const s = report.summary;
  const lines: string[] = [
    '# Compliance report',
    '',
    `**Verdict: ${report.verdict === 'compliant' ? 'compliant' : 'NON-COMPLIANT'}** — evaluated ${report.evaluatedAt.slice(0, 10)} by ${report.tool.name} ${report.tool.version}.`,
    '',
    `Packs: ${report.packs.map((p) => `${p.framework} (\`${p.id}\` v${p.version})`).join('; ')}.`,
    '',
    '| Resources evaluated | Rules run | Pass | Fail | Could not evaluate | Acknowledged | Not applicable |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${s.resourcesEvaluated} | ${s.rulesRun} | ${s.evaluations.pass} | ${s.evaluations.fail} | ${s.evaluations.couldNotEvaluate} | ${s.evaluations.acknowledged} | ${s.evaluations.notApplicable} |`,
    '',
  ];

  lines.push('## Findings', '');
  if (report.findings.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Severity | Resource | Property | What | Controls | Fix |', '|---|---|---|---|---|---|---|');
    for (const f of report.findings) {
      const controls = Object.entries(f.controls).map(([pack, ids]) => `${pack}: ${ids.join(', ')}`).join('<br>');
      const expired = f.expiredAcknowledgment ? ` (acknowledgment expired ${f.expiredAcknowledgment.expires})` : '';
      lines.push(`| ${f.ruleId} ${cell(f.title)} | ${f.severity} | ${cell(f.constructPath ?? `${f.stack ?? f.source}/${f.logicalId}`)} | \`${f.path}\` | ${cell(f.message + expired)} | ${controls} | ${cell(f.fix)} |`);
    }
    lines.push('');
  }

  lines.push('## Acknowledgment ledger', '');
  if (report.acknowledgments.length === 0) {
    lines.push('None.', '');
  } else {
    lines.push('| Rule | Scope | Status | Reason | Approved by | Ticket | Expires | Resources |', '|---|---|---|---|---|---|---|---:|');
    for (const a of report.acknowledgments) {
      lines.push(`| ${a.ruleId} | ${cell(a.scope)} | ${a.status}${a.automatic ? ' (automatic)' : ''} | ${cell(a.reason)}${a.problem ? ` — ${cell(a.problem)}` : ''} | ${cell(a.approvedBy)} | ${cell(a.ticket ?? '—')} | ${a.expires} | ${a.resources.length} |`);
    }
    lines.push('');
  }

  lines.push('## Controls', '');
  for (const pack of report.packs) {
    const rows = report.controls.filter((c) => c.pack === pack.id);
    lines.push(`### ${pack.framework}`, '');
    if (rows.length === 0) {
      lines.push('No rule of this pack applies to what was evaluated.', '');
      continue;
    }
    lines.push('| Control | Status | Rules | Pass | Fail | Could not evaluate | Acknowledged |', '|---|---|---|---:|---:|---:|---:|');
    for (const c of rows) {
      const r = c.resources;
      lines.push(`| ${cell(c.control)}${c.title ? ` ${cell(c.title)}` : ''} | ${c.status} | ${c.rules.join(', ')} | ${r.pass} | ${r.fail} | ${r.couldNotEvaluate} | ${r.acknowledged} |`);
    }
    lines.push('');
  }

  lines.push('## Rules run', '', '| Rule | Title | Severity | May be acknowledged |', '|---|---|---|---|');
  for (const r of report.rules) lines.push(`| ${r.id} | ${cell(r.title)} | ${r.severity} | ${r.acknowledgeable ? 'yes' : 'no'} |`);
  lines.push('');
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
