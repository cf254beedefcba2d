import type { EvaluationStatus } from '../engine';
import type { ComplianceReport, ControlCoverage, LedgerEntry } from './json-report';
import type { ModelCardLink } from './model-card-links';
import { REPORT_FILES } from './report-files';
import { RuleEvidence, ruleEvidence, VERDICT_RANK } from './rule-evidence';

/** Options of the HTML report. */
export interface HtmlReportOptions {
  /** The Markdown model cards of the cloud assembly, linked relative to the report (`findModelCards`). */
  readonly modelCards: readonly ModelCardLink[];
}

/** Acknowledgments that expire within this many days of the evaluation date are flagged in the ledger. */
export const EXPIRY_WARNING_DAYS = 30;

type Resource = ComplianceReport['resources'][number];
type Evidence = ReadonlyMap<string, RuleEvidence>;

const VERDICT_LABEL: Record<EvaluationStatus, string> = {
  pass: 'pass', fail: 'fail', 'could-not-evaluate': 'could not evaluate', acknowledged: 'acknowledged',
};
const VERDICT_CLASS: Record<EvaluationStatus, string> = { pass: 'pass', fail: 'fail', 'could-not-evaluate': 'cne', acknowledged: 'ack' };

/**
 * Renders the report for people (`compliance-report.html`): one self-contained page (inline CSS, no script, no external
 * resource; a Content-Security-Policy forbids any) with the verdict, the findings, a control matrix per pack (control →
 * rules → resources and their verdicts), the acknowledgment ledger, the model cards and the rules run.
 *
 * Sized for thousands of resources: a control row lists its failing, unevaluable and acknowledged resources one by one
 * and counts its passing verdicts per rule; the passing resources themselves are listed once, under their rule.
 */
export function renderHtmlReport(report: ComplianceReport, options: HtmlReportOptions): string {
  const ledgerAnchors = new Map(report.acknowledgments.map((a, i) => [ledgerKey(a), i]));
  const evidence = ruleEvidence(report);
  const day = report.evaluatedAt.slice(0, 10);
  const verdict = report.verdict === 'compliant' ? 'compliant' : 'NON-COMPLIANT';
  return [
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Compliance report: ${verdict} (${esc(day)})</title>`,
    `<style>${STYLE}</style></head><body>`,
    header(report, verdict, day),
    summary(report, day),
    findings(report, ledgerAnchors),
    controlMatrices(report, evidence, ledgerAnchors),
    ledger(report, day),
    modelCards(report, options.modelCards),
    rulesRun(report, evidence),
    `<footer>Written by ${esc(report.tool.name)} ${esc(report.tool.version)} from the same evaluation as ${REPORT_FILES.json}, `,
    `which lists every verdict on every resource, and ${REPORT_FILES.oscal} (OSCAL assessment results).</footer>`,
    '</body></html>\n',
  ].join('');
}

function header(report: ComplianceReport, verdict: string, day: string): string {
  const packs = report.packs.map((p, i) => `<a href="#${packAnchor(i)}">${esc(p.framework)}</a>`).join(' · ');
  return `<header><h1>Compliance report</h1>`
    + `<p id="verdict" class="verdict ${esc(report.verdict)}" data-verdict="${esc(report.verdict)}">Verdict: ${verdict}</p>`
    + `<p class="meta">Evaluated ${esc(day)} by ${esc(report.tool.name)} ${esc(report.tool.version)} over ${report.summary.documents} document(s). `
    + `Packs: ${report.packs.map((p) => `${esc(p.framework)} (<code>${esc(p.id)}</code> v${esc(p.version)})`).join('; ')}.</p>`
    + '<nav><a href="#summary">Summary</a> · <a href="#findings">Findings</a> · <a href="#controls">Control matrix</a> '
    + `(${packs}) · <a href="#ledger">Acknowledgment ledger</a> · <a href="#model-cards">Model cards</a> · <a href="#rules">Rules run</a></nav></header>`;
}

function summary(report: ComplianceReport, day: string): string {
  const s = report.summary;
  const e = s.evaluations;
  const cells: [string, number, string][] = [
    ['Resources evaluated', s.resourcesEvaluated, ''], ['Rules run', s.rulesRun, ''], ['Pass', e.pass, 'pass'], ['Fail', e.fail, 'fail'],
    ['Could not evaluate', e.couldNotEvaluate, 'cne'], ['Acknowledged', e.acknowledged, 'ack'], ['Not applicable', e.notApplicable, ''],
    ['Findings', s.findings, s.findings > 0 ? 'fail' : ''], ['Active acknowledgments', s.acknowledgments, ''],
  ];
  const alerts: string[] = [];
  if (s.findings > 0) alerts.push(`<li class="fail">${s.findings} finding(s) stop the synth: see <a href="#findings">Findings</a>.</li>`);
  const byStatus = (status: LedgerEntry['status']) => report.acknowledgments.filter((a) => a.status === status).length;
  const soon = report.acknowledgments.filter((a) => expiresSoon(a, day)).length;
  if (soon > 0) alerts.push(`<li class="soon">${soon} acknowledgment(s) expire within ${EXPIRY_WARNING_DAYS} days.</li>`);
  if (byStatus('expired') > 0) alerts.push(`<li class="fail">${byStatus('expired')} acknowledgment(s) have expired.</li>`);
  if (byStatus('invalid') > 0) alerts.push(`<li class="fail">${byStatus('invalid')} acknowledgment(s) could not be honoured.</li>`);
  if (byStatus('unused') > 0) alerts.push(`<li>${byStatus('unused')} acknowledgment(s) waive nothing any more: remove them.</li>`);
  return '<section id="summary"><h2>Summary</h2><table class="counts"><tr>'
    + cells.map(([label]) => `<th>${label}</th>`).join('') + '</tr><tr>'
    + cells.map(([, n, cls]) => `<td${cls && n > 0 ? ` class="${cls}"` : ''}>${n}</td>`).join('') + '</tr></table>'
    + '<p class="note">Counts are verdicts: one per rule and resource it applies to (a rule may give several, one per statement).</p>'
    + (alerts.length > 0 ? `<ul class="alerts">${alerts.join('')}</ul>` : '')
    + '</section>';
}

function findings(report: ComplianceReport, ledgerAnchors: Map<string, number>): string {
  const rows = report.findings.map((f) => {
    const expired = f.expiredAcknowledgment
      ? ` <span class="v ack sentence">acknowledgment by ${esc(f.expiredAcknowledgment.approvedBy)}${f.expiredAcknowledgment.ticket ? ` (${esc(f.expiredAcknowledgment.ticket)})` : ''} `
        + `expired on ${esc(f.expiredAcknowledgment.expires)}</span>${ledgerLink(ledgerAnchors.get(ledgerKey(f.expiredAcknowledgment)))}`
      : '';
    return `<tr><td><a href="#${ruleAnchor(f.ruleId)}">${esc(f.ruleId)}</a><br>${esc(f.title)}`
      + `${f.acknowledgeable ? '' : '<br><small>may not be acknowledged</small>'}</td>`
      + `<td><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span>${f.status === 'could-not-evaluate' ? '<br><span class="v cne">could not evaluate</span>' : ''}</td>`
      + `<td><code>${esc(f.constructPath ?? `${stackOf(f)}/${f.logicalId}`)}</code><br><small>${esc(f.type)} · ${esc(stackOf(f))}/${esc(f.logicalId)}</small></td>`
      + `<td><code>${esc(f.path)}</code></td><td>${esc(f.message)}${expired}</td>`
      + `<td>${controlList(f.controls)}</td><td>${esc(f.fix)}</td></tr>`;
  });
  return `<section id="findings"><h2>Findings (${report.findings.length})</h2>`
    + (rows.length === 0
      ? '<p class="none">None: no rule failed and none could not be evaluated.</p>'
      : '<table class="findings"><tr><th>Rule</th><th>Severity</th><th>Resource</th><th>Property</th><th>What</th><th>Controls</th><th>Fix</th></tr>'
        + rows.join('') + '</table>')
    + '</section>';
}

function controlMatrices(report: ComplianceReport, evidence: Evidence, ledgerAnchors: Map<string, number>): string {
  const problemItems = new Map<string, string>();
  const problemsOf = (ruleId: string): string => {
    let html = problemItems.get(ruleId);
    if (html === undefined) {
      html = (evidence.get(ruleId)?.problems ?? []).map((p) => `<li>${verdictBadge(p.status)} <code>${esc(resourceLabel(p.resource))}</code> `
        + `<a href="#${ruleAnchor(ruleId)}">${esc(ruleId)}</a>`
        + `${ledgerLink(p.acknowledgment && ledgerAnchors.get(ledgerKey(p.acknowledgment)))}</li>`).join('');
      problemItems.set(ruleId, html);
    }
    return html;
  };
  const sections = report.packs.map((pack, i) => {
    const controls = report.controls.filter((c) => c.pack === pack.id).sort((a, b) => compareIds(a.control, b.control));
    const tally = (status: ControlCoverage['status']) => controls.filter((c) => c.status === status).length;
    const rows = controls.map((c) => controlRow(c, evidence, problemsOf));
    return `<section id="${packAnchor(i)}" class="pack"><h3>${esc(pack.framework)}</h3>`
      + `<p class="meta"><code>${esc(pack.id)}</code> v${esc(pack.version)}: ${controls.length} control(s) cited, `
      + `${tally('satisfied')} satisfied, ${tally('violated')} violated, ${tally('not-evidenced')} without evidence.</p>`
      + `<table class="control-matrix" data-pack="${esc(pack.id)}"><tr><th>Control</th><th>Status</th><th>Rules</th><th>Resources and verdicts</th></tr>`
      + (rows.length > 0 ? rows.join('') : '<tr><td colspan="4" class="none">No rule that ran cites a control of this pack.</td></tr>')
      + '</table></section>';
  });
  return '<section id="controls"><h2>Control matrix</h2>'
    + '<p class="note">Per control: the rules that give evidence for it, the resources they failed, could not evaluate or found acknowledged, '
    + 'and how many verdicts passed (the passing resources are listed with each rule under <a href="#rules">Rules run</a>). '
    + 'A control is <em>without evidence</em> when no resource of its rules\' types was evaluated.</p>'
    + sections.join('') + '</section>';
}

function controlRow(c: ControlCoverage, evidence: Evidence, problemsOf: (ruleId: string) => string): string {
  const rules = c.rules.map((id) => `<a href="#${ruleAnchor(id)}">${esc(id)}</a>`).join(' ');
  const problems = c.rules.map(problemsOf).join('');
  const passing = c.rules
    .map((id) => [id, evidence.get(id)?.counts.pass ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([id, n]) => `${esc(id)} ${n}`);
  const r = c.resources;
  let cell = problems ? `<ul class="verdicts">${problems}</ul>` : '';
  if (r.pass > 0) cell += `<details><summary>${verdictBadge('pass')} ${r.pass} passing verdict(s)</summary><small>${passing.join(' · ')}</small></details>`;
  if (!cell) cell = '<span class="none">No resource of these rules\' types was evaluated.</span>';
  const status = esc(c.status);
  return `<tr class="${status}"><td><b>${esc(c.control)}</b>${c.title ? `<br>${esc(c.title)}` : ''}</td>`
    + `<td><span class="status ${status}">${c.status === 'not-evidenced' ? 'without evidence' : status}</span></td>`
    + `<td>${rules}</td><td>${cell}</td></tr>`;
}

function ledger(report: ComplianceReport, day: string): string {
  const rows = report.acknowledgments.map((a, i) => {
    const never = a.automatic && a.expires.startsWith('9999');
    const left = daysBetween(day, a.expires);
    const soon = expiresSoon(a, day);
    const daysLeft = never ? 'never expires' : left < 0 ? `expired ${-left} day(s) ago` : `${left}${soon ? ' <b>⚠ expires soon</b>' : ''}`;
    const resources = a.resources.length === 0 ? '0'
      : `<details><summary>${a.resources.length}</summary>${a.resources.map((r) => `<code>${esc(r)}</code>`).join('<br>')}</details>`;
    const status = esc(a.status);
    return `<tr id="${ledgerAnchor(i)}" class="${status}${soon ? ' soon' : ''}"><td>${i + 1}</td>`
      + `<td><a href="#${ruleAnchor(a.ruleId)}">${esc(a.ruleId)}</a></td><td><code>${esc(a.scope)}</code></td>`
      + `<td><span class="status ${status}">${status}</span>${a.automatic ? '<br><small>automatic</small>' : ''}</td>`
      + `<td>${esc(a.reason)}${a.problem ? `<br><small class="fail">${esc(a.problem)}</small>` : ''}</td>`
      + `<td>${esc(a.approvedBy)}</td><td>${esc(a.ticket ?? '—')}</td><td>${never ? '—' : esc(a.expires)}</td>`
      + `<td>${daysLeft}</td><td>${resources}</td></tr>`;
  });
  return `<section id="ledger"><h2>Acknowledgment ledger (${report.acknowledgments.length})</h2>`
    + `<p class="note">Every acknowledgment met: active (waives the finding), expired (fails the synth), invalid (could not be honoured), `
    + `unused (waives nothing: remove it). Days left are counted from the evaluation date; entries expiring within ${EXPIRY_WARNING_DAYS} days are flagged.</p>`
    + (rows.length === 0
      ? '<p class="none">No acknowledgment.</p>'
      : '<table class="ledger"><tr><th>#</th><th>Rule</th><th>Scope</th><th>Status</th><th>Reason</th><th>Approved by</th><th>Ticket</th>'
        + '<th>Expires</th><th>Days left</th><th>Resources</th></tr>' + rows.join('') + '</table>')
    + '</section>';
}

function modelCards(report: ComplianceReport, cards: readonly ModelCardLink[]): string {
  const resources = report.resources.filter((r) => r.type === 'AWS::SageMaker::ModelCard');
  const byPath = new Map(resources.filter((r) => r.constructPath).map((r) => [r.constructPath!, r]));
  const linked = new Set<Resource>();
  const rows = cards.map((card) => {
    const resource = card.constructPath ? byPath.get(`${card.constructPath}/Resource`) : undefined;
    if (resource) linked.add(resource);
    return modelCardRow(card, resource);
  });
  for (const resource of resources) if (!linked.has(resource)) rows.push(modelCardRow(undefined, resource));
  return `<section id="model-cards"><h2>Model cards (${rows.length})</h2>`
    + '<p class="note">The Markdown cards <code>ModelCard</code> writes into the cloud assembly, beside the <code>AWS::SageMaker::ModelCard</code> resources evaluated.</p>'
    + (rows.length === 0
      ? '<p class="none">No model card in this cloud assembly.</p>'
      : '<table class="cards"><tr><th>Model</th><th>Card</th><th>Status</th><th>Risk rating</th><th>Resource</th><th>Verdicts</th></tr>'
        + rows.join('') + '</table>')
    + '</section>';
}

function modelCardRow(card: ModelCardLink | undefined, resource: Resource | undefined): string {
  const link = card
    ? `<a href="${esc(card.path.split('/').map(encodeURIComponent).join('/'))}">${esc(card.path)}</a>`
    : '<span class="none">no Markdown card in the cloud assembly</span>';
  let verdicts = '<span class="none">not evaluated</span>';
  if (resource) {
    const worst = resource.results.reduce<EvaluationStatus>((w, e) => (VERDICT_RANK[e.status] > VERDICT_RANK[w] ? e.status : w), 'pass');
    verdicts = resource.results.length === 0 ? '<span class="none">no rule applies</span>'
      : `${verdictBadge(worst)} ${resource.results.length} verdict(s)`;
  }
  return `<tr><td>${esc(card?.modelName ?? resource?.logicalId ?? '')}</td><td>${link}</td><td>${esc(card?.status ?? '—')}</td>`
    + `<td>${esc(card?.riskRating ?? '—')}</td><td>${resource ? `<code>${esc(resourceLabel(resource))}</code>` : '—'}</td><td>${verdicts}</td></tr>`;
}

function rulesRun(report: ComplianceReport, evidence: Evidence): string {
  const rows = report.rules.map((rule) => {
    const e = evidence.get(rule.id)!;
    const c = e.counts;
    const verdicts = (['pass', 'fail', 'could-not-evaluate', 'acknowledged'] as const)
      .filter((s) => c[s] > 0).map((s) => `${verdictBadge(s)} ${c[s]}`).join(' ');
    const byStack = new Map<string, string[]>();
    for (const r of e.passing) {
      const ids = byStack.get(stackOf(r));
      if (ids) ids.push(esc(r.logicalId));
      else byStack.set(stackOf(r), [esc(r.logicalId)]);
    }
    const stacks = [...byStack].map(([stack, ids]) => `<p><b>${esc(stack)}</b> (${ids.length}): ${ids.join(', ')}</p>`).join('');
    return `<tr id="${ruleAnchor(rule.id)}"><td><b>${esc(rule.id)}</b></td><td>${esc(rule.title)}`
      + `${rule.acknowledgeable ? '' : '<br><small>may not be acknowledged</small>'}</td>`
      + `<td><span class="sev ${esc(rule.severity)}">${esc(rule.severity)}</span></td><td>${controlList(rule.controls)}</td>`
      + `<td>${verdicts || '<span class="none">no resource of its types</span>'}</td>`
      + `<td>${c.pass > 0 ? `<details><summary>${c.pass} resource(s)</summary>${stacks}</details>` : '—'}</td></tr>`;
  });
  return `<section id="rules"><h2>Rules run (${report.rules.length})</h2>`
    + '<table class="rules"><tr><th>Rule</th><th>Title</th><th>Severity</th><th>Controls</th><th>Verdicts (per resource)</th><th>Passing resources</th></tr>'
    + rows.join('') + '</table></section>';
}

function controlList(controls: Record<string, string[]>): string {
  return Object.entries(controls).filter(([, ids]) => ids.length > 0)
    .map(([pack, ids]) => `<small>${esc(pack)}:</small> ${ids.map(esc).join(', ')}`).join('<br>');
}

function verdictBadge(status: EvaluationStatus): string {
  return `<span class="v ${VERDICT_CLASS[status]}">${VERDICT_LABEL[status]}</span>`;
}

function ledgerLink(index: number | undefined): string {
  return index === undefined ? '' : ` <a class="ledger-link" href="#${ledgerAnchor(index)}">ledger #${index + 1}</a>`;
}

function expiresSoon(a: LedgerEntry, day: string): boolean {
  if (a.status !== 'active') return false;
  const left = daysBetween(day, a.expires);
  return left >= 0 && left <= EXPIRY_WARNING_DAYS;
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function ledgerKey(a: { ruleId: string; scope: string; expires: string }): string {
  return `${a.ruleId}\u0000${a.scope}\u0000${a.expires}`;
}

function stackOf(r: { stack?: string; source: string }): string {
  return r.stack ?? r.source;
}

function resourceLabel(r: Resource): string {
  return r.constructPath ?? `${stackOf(r)}/${r.logicalId}`;
}

/** Control ids in reading order: `164.308(a)(8)` before `164.312(a)(1)`, `SC-7` before `SC-28` (one collator: making one per call is slow). */
const compareIds = new Intl.Collator('en', { numeric: true }).compare;

function ruleAnchor(ruleId: string): string {
  return `rule-${ruleId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function packAnchor(index: number): string {
  return `pack-${index + 1}`;
}

function ledgerAnchor(index: number): string {
  return `ack-${index + 1}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' };

/** Text and attribute values from templates (construct paths, reasons, messages) may hold markup characters. */
function esc(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]) : text;
}

const STYLE = [
  'body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0 auto;padding:16px 24px;max-width:1400px}',
  'h1{margin:0 0 4px}h2{margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #d0d7de}h3{margin:20px 0 4px}',
  'a{color:#0969da}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}small{color:#57606a}',
  'nav{margin:8px 0;padding:8px 0;border-top:1px solid #d0d7de;border-bottom:1px solid #d0d7de}',
  '.verdict{display:inline-block;font-size:18px;font-weight:700;padding:4px 12px;border-radius:6px;margin:4px 0}',
  '.verdict.compliant{background:#dafbe1;color:#116329}.verdict.non-compliant{background:#ffebe9;color:#a40e26}',
  '.meta,.note{color:#57606a}.none{color:#57606a;font-style:italic}',
  'table{border-collapse:collapse;width:100%;margin:6px 0}',
  'th,td{border:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}',
  'th{overflow-wrap:normal}a[href^="#rule-"],.rules td:first-child{white-space:nowrap}',
  'th{background:#f6f8fa}table.counts{width:auto}table.counts td{text-align:right;font-weight:600}',
  'table.control-matrix{table-layout:fixed}.control-matrix th:nth-child(1){width:20%}.control-matrix th:nth-child(2){width:9%}',
  '.control-matrix th:nth-child(3){width:33%}.control-matrix td:nth-child(3){font-size:12px}',
  'table.findings{table-layout:fixed}.findings th:nth-child(1){width:12%}.findings th:nth-child(2){width:6%}',
  '.findings th:nth-child(3){width:14%}.findings th:nth-child(4){width:10%}.findings th:nth-child(5){width:18%}',
  '.findings th:nth-child(6){width:15%}.findings td:nth-child(6),.rules td:nth-child(4){font-size:12px}',
  'table.rules{table-layout:fixed}.rules th:nth-child(1){width:9%}.rules th:nth-child(2){width:22%}.rules th:nth-child(3){width:7%}',
  '.rules th:nth-child(5){width:13%}.rules th:nth-child(6){width:14%}',
  'table.ledger{table-layout:fixed}.ledger th:nth-child(1){width:3%}.ledger th:nth-child(2){width:10%}.ledger th:nth-child(3){width:13%}',
  '.ledger th:nth-child(4){width:7%}.ledger th:nth-child(6){width:10%}.ledger th:nth-child(7){width:6%}.ledger th:nth-child(8){width:7%}',
  '.ledger th:nth-child(9){width:7%}.ledger th:nth-child(10){width:6%}',
  '.v,.status,.sev{display:inline-block;padding:0 5px;border-radius:4px;font-size:12px;font-weight:600;white-space:nowrap}',
  // A badge holding a sentence wraps inside its cell instead of running over the next column.
  '.v.sentence{white-space:normal}',
  '.v.pass,.status.satisfied,.status.active{background:#dafbe1;color:#116329}',
  '.v.fail,.status.violated,.status.expired,.status.invalid,.sev.critical,.sev.high{background:#ffebe9;color:#a40e26}',
  '.v.cne,.sev.medium{background:#fff8c5;color:#7d4e00}.v.ack{background:#ddf4ff;color:#0550ae}',
  '.status.not-evidenced,.status.unused,.sev.low{background:#eaeef2;color:#57606a}',
  'td.fail,li.fail,small.fail{color:#a40e26}td.pass{color:#116329}td.cne{color:#7d4e00}td.ack{color:#0550ae}',
  'tr.violated>td:first-child{border-left:4px solid #cf222e}tr.satisfied>td:first-child{border-left:4px solid #1a7f37}',
  'tr.not-evidenced>td:first-child{border-left:4px solid #afb8c1}',
  'tr.soon{background:#fff8c5}li.soon{color:#7d4e00;font-weight:600}tr.expired,tr.invalid{background:#ffebe9}',
  'ul.verdicts{margin:0;padding-left:16px}ul.alerts{padding-left:18px}details summary{cursor:pointer}details p{margin:2px 0}',
  ':target{outline:2px solid #0969da}footer{margin-top:32px;color:#57606a;font-size:12px}',
  '@media print{nav{display:none}}',
].join('');
