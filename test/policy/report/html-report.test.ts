import * as fs from 'fs';
import * as path from 'path';
import { EXPIRY_WARNING_DAYS, renderHtmlReport } from '../../../lib/policy/report/html-report';
import type { ComplianceReport } from '../../../lib/policy/report/json-report';
import { findModelCards } from '../../../lib/policy/report/model-card-links';
import { REPORT_FILES } from '../../../lib/policy/report/write-reports';
import {
  addAcknowledgedSandbox, addExpiredAcknowledgment, addModelCards, addUnencryptedBucket, EXPIRED, LATER, MARKUP, SOON, synthesize,
} from './report-apps';

// One app: model cards (one in a nested stage), an acknowledged sandbox, an unencrypted bucket and an expired acknowledgment.
const { outdir, report } = synthesize((app) => {
  addModelCards(app);
  addAcknowledgedSandbox(app);
  addUnencryptedBucket(app);
  addExpiredAcknowledgment(app);
});
const html = fs.readFileSync(path.join(outdir, REPORT_FILES.html), 'utf-8');

/** The HTML of the element that opens with `start` (a `<section id=...` or `<tr id=...`), up to its closing tag. */
function element(page: string, start: string, tag: string): string {
  const from = page.indexOf(start);
  if (from < 0) throw new Error(`no ${start} in the page`);
  return page.slice(from, page.indexOf(`</${tag}>`, from) + tag.length + 3);
}
const section = (id: string) => element(html, `<section id="${id}"`, 'section');
const matrixOf = (pack: string) => element(html, `<table class="control-matrix" data-pack="${pack}">`, 'table');
function controlRow(pack: string, control: string): string {
  const table = matrixOf(pack);
  const at = table.indexOf(`<b>${control}</b>`);
  if (at < 0) throw new Error(`no row for ${control} in the ${pack} matrix`);
  return table.slice(table.lastIndexOf('<tr', at), table.indexOf('</tr>', at));
}
const ledgerIndex = (scope: string) => report.acknowledgments.findIndex((a) => a.scope === scope) + 1;
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('the HTML report', () => {
  test('is one self-contained page: no script, no external resource, and a policy that forbids fetching any', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|@import|url\(|href="(https?:)?\/\//i);
  });

  test('states the verdict and the summary counts', () => {
    expect(html).toContain('<p id="verdict" class="verdict non-compliant" data-verdict="non-compliant">Verdict: NON-COMPLIANT</p>');
    const e = report.summary.evaluations;
    const counts = [report.summary.resourcesEvaluated, report.summary.rulesRun, e.pass, e.fail, e.couldNotEvaluate, e.acknowledged, e.notApplicable,
      report.summary.findings, report.summary.acknowledgments];
    expect([...section('summary').matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual(counts);
    expect(e.fail).toBeGreaterThan(0);
    expect(section('summary')).toContain('1 acknowledgment(s) expire within 30 days.');
  });

  test('lists each finding: rule, severity, construct path, property, message, controls and fix', () => {
    const findings = section('findings');
    expect(findings).toContain(`Findings (${report.findings.length})`);
    const encryption = report.findings.find((f) => f.ruleId === 'MLOPS-S3-001')!;
    const row = findings.slice(findings.indexOf('<tr><td><a href="#rule-MLOPS-S3-001">'), findings.indexOf('</tr>', findings.indexOf('#rule-MLOPS-S3-001')));
    expect(row).toContain('<span class="sev high">high</span>');
    expect(row).toContain(`<code>${escaped(encryption.constructPath!)}</code>`);
    expect(row).toContain('<code>Properties/BucketEncryption</code>');
    expect(row).toContain(escaped(encryption.message));
    expect(row).toContain('164.312(a)(2)(iv), 164.312(e)(2)(ii)');
    expect(row).toContain(escaped(encryption.fix));
    expect(row).toContain('may not be acknowledged');
    expect(findings).toContain(`acknowledgment by ${EXPIRED.approvedBy} (${EXPIRED.ticket}) expired on ${EXPIRED.expires}`);
  });

  test('escapes what comes from templates: construct ids, reasons, approvers, tickets, model names', () => {
    expect(html).not.toContain(MARKUP);
    expect(html).toContain(escaped('Raw/Data<b>&"it\'s"<--b>'));
    expect(html).toContain(escaped(SOON.reason));
    expect(html).toContain(escaped(SOON.approvedBy));
    expect(html).toContain(escaped(SOON.ticket));
    expect(html).toContain(`<td>${escaped(`churn ${MARKUP}`)}</td>`);
  });

  test('escapes every text of the report and of the card links, wherever it appears', () => {
    const probe = `<script>alert("x&y")</script>'`;
    const poisoned = poison(report, probe) as ComplianceReport;
    const page = renderHtmlReport(poisoned, {
      modelCards: [{ path: `model-cards/${probe}.md`, modelName: probe, constructPath: probe, status: probe, riskRating: probe }],
    });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain(probe);
    expect(page.split(escaped(probe)).length - 1).toBeGreaterThan(50);
  });

  test('has one control matrix per pack, in the order of the packs', () => {
    const tables = [...html.matchAll(/<table class="control-matrix" data-pack="([^"]*)">/g)].map((m) => m[1]);
    expect(tables).toEqual(report.packs.map((p) => p.id));
  });

  test('gives per control its rules and each resource that failed or was acknowledged, acknowledged ones linked to the ledger', () => {
    const row = controlRow('hipaa', '164.316(b)(2)(i)');
    expect(row).toContain('Documentation retained 6 years');
    expect(row).toContain('<span class="status violated">violated</span>');
    expect(row).toContain('<a href="#rule-MLOPS-LOGS-002">MLOPS-LOGS-002</a> <a href="#rule-MLOPS-S3-010">MLOPS-S3-010</a>');
    expect(row).toContain(`<span class="v ack">acknowledged</span> <code>Sandbox/Quarterly</code> <a href="#rule-MLOPS-LOGS-002">MLOPS-LOGS-002</a> `
      + `<a class="ledger-link" href="#ack-${ledgerIndex('Sandbox/Quarterly')}">ledger #${ledgerIndex('Sandbox/Quarterly')}</a>`);
    expect(row).toContain(`<span class="v fail">fail</span> <code>Stale/Legacy</code> <a href="#rule-MLOPS-LOGS-002">MLOPS-LOGS-002</a> `
      + `<a class="ledger-link" href="#ack-${ledgerIndex('Stale/Legacy')}">`);
  });

  test('counts the passing verdicts of a control per rule, inside details, and says when a control has no evidence', () => {
    const encryption = controlRow('hipaa', '164.312(a)(2)(iv)');
    const coverage = report.controls.find((c) => c.pack === 'hipaa' && c.control === '164.312(a)(2)(iv)')!;
    expect(coverage.resources.pass).toBeGreaterThan(0);
    expect(encryption).toMatch(new RegExp(`<details><summary><span class="v pass">pass</span> ${coverage.resources.pass} passing verdict\\(s\\)</summary><small>.*MLOPS-KMS-001 \\d+`));
    const unevidenced = report.controls.find((c) => c.pack === 'k8s-pss-restricted')!;
    expect(unevidenced.status).toBe('not-evidenced');
    expect(controlRow('k8s-pss-restricted', unevidenced.control)).toContain('No resource of these rules\' types was evaluated.');
  });

  test('keeps the ledger: rule, scope, status, reason, approver, ticket, expiry and days left, flagging what expires within 30 days', () => {
    expect(EXPIRY_WARNING_DAYS).toBe(30);
    const soon = element(html, `<tr id="ack-${ledgerIndex('Sandbox/Quarterly')}"`, 'tr');
    expect(soon).toContain('class="active soon"');
    expect(soon).toContain('<span class="status active">active</span>');
    expect(soon).toContain(`<td>${escaped(SOON.reason)}</td><td>${escaped(SOON.approvedBy)}</td><td>${escaped(SOON.ticket)}</td><td>${SOON.expires}</td>`);
    expect(soon).toContain('<td>10 <b>⚠ expires soon</b></td>');
    const later = element(html, `<tr id="ack-${ledgerIndex('Sandbox/Experiments')}"`, 'tr');
    expect(later).toContain('class="active"');
    expect(later).toContain(`<td>${LATER.approvedBy}</td><td>—</td><td>${LATER.expires}</td><td>216</td>`);
    const expired = element(html, `<tr id="ack-${ledgerIndex('Stale/Legacy')}"`, 'tr');
    expect(expired).toContain('<span class="status expired">expired</span>');
    expect(expired).toContain('<td>expired 1 day(s) ago</td>');
  });

  test('links the model cards of the assembly and of nested stages, relative to the report, beside their SageMaker resources', () => {
    const cards = section('model-cards');
    for (const href of ['model-cards/Registry/Card.md', 'assembly-Prod/model-cards/Prod/Models/Card.md']) {
      expect(cards).toContain(`<a href="${href}">`);
      expect(fs.existsSync(path.join(outdir, href))).toBe(true);
    }
    expect(cards).toContain('<td>credit-risk</td><td><a href="assembly-Prod/model-cards/Prod/Models/Card.md">assembly-Prod/model-cards/Prod/Models/Card.md</a></td>'
      + '<td>PendingReview</td><td>Medium</td><td><code>Prod/Models/Card/Resource</code></td>');
  });

  test('shows a SageMaker model card resource whose Markdown card is not in the assembly', () => {
    const page = renderHtmlReport(report, { modelCards: findModelCards(outdir).filter((c) => !c.path.startsWith('assembly-Prod/')) });
    expect(element(page, '<section id="model-cards"', 'section')).toContain('no Markdown card in the cloud assembly');
  });

  test('lists the rules run, each with its verdicts and, inside details, its passing resources by stack', () => {
    const rules = section('rules');
    expect(rules).toContain(`Rules run (${report.rules.length})`);
    const rotation = element(rules, '<tr id="rule-MLOPS-KMS-001"', 'tr');
    expect(rotation).toContain('<span class="v pass">pass</span> 2');
    expect(rotation).toMatch(/<details><summary>2 resource\(s\)<\/summary><p><b>Registry<\/b> \(1\): Key\w+<\/p><p><b>Prod\/Models<\/b> \(1\): Key\w+<\/p><\/details>/);
  });
});

/** A copy of the report with `probe` appended to every text; dates and enumerations stay as they are. */
function poison(value: unknown, probe: string, key = ''): unknown {
  if (typeof value === 'string') return ['evaluatedAt', 'expires', 'status', 'verdict', 'severity'].includes(key) ? value : value + probe;
  if (Array.isArray(value)) return value.map((v) => poison(v, probe, key));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, probe, k)]));
  }
  return value;
}
