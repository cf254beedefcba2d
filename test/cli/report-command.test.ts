import * as fs from 'fs';
import * as path from 'path';
import { parseArguments } from '../../lib/cli/args';
import { HIPAA_SECURITY } from '../../lib/policy/packs';
import type { ComplianceReport } from '../../lib/policy/report/json-report';
import { REPORT_FILES } from '../../lib/policy/report/write-reports';
import { REVIEW_DATE, synthesizeReviewApp } from '../diff/review-apps';
import { expectOneLineError, runCli, tempDir } from './run-cli';

/** The new version of the review app: a nested stage, acknowledgments (one expiring 2026-12-06), every pack enforced. */
const root = tempDir('report');
const assembly = path.join(root, 'cdk.out');
synthesizeReviewApp(assembly, 'new');
const readReport = (dir: string): ComplianceReport => JSON.parse(fs.readFileSync(path.join(dir, REPORT_FILES.json), 'utf-8'));
const synthReport = readReport(assembly);
const withoutDate = ({ evaluatedAt: _, ...rest }: ComplianceReport) => rest;

describe('report <cdk.out>', () => {
  test('the synth wrote a compliant report with acknowledgments, over the nested stage too (what the comparisons below rely on)', () => {
    expect(synthReport.verdict).toBe('compliant');
    expect(synthReport.acknowledgments.map((a) => a.ruleId)).toEqual(['MLOPS-IAM-002', 'MLOPS-SQS-002']);
    expect(new Set(synthReport.resources.map((r) => r.stack))).toEqual(new Set(['Platform', 'Prod/Registry']));
  });

  test('--out: the same JSON report as the synth wrote (but for evaluatedAt), every report file, one line on stdout', () => {
    const out = path.join(root, 'regenerated');
    const run = runCli(['report', assembly, '--date', REVIEW_DATE, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(withoutDate(readReport(out))).toEqual(withoutDate(synthReport));
    expect(readReport(out).evaluatedAt).toBe(`${REVIEW_DATE}T00:00:00.000Z`);
    const files = Object.values(REPORT_FILES).map((f) => path.join(out, f));
    for (const file of files) expect(fs.statSync(file).size).toBeGreaterThan(0);
    const s = synthReport.summary;
    expect(run.stdout).toBe(
      `compliant: 0 findings, 2 acknowledgments in force, ${s.resourcesEvaluated} resources evaluated in 3 stacks (7 packs); wrote ${files.join(', ')}\n`,
    );
  });

  test('by default into the assembly, where the synth writes them', () => {
    for (const file of Object.values(REPORT_FILES)) fs.rmSync(path.join(assembly, file), { force: true });
    const run = runCli(['report', assembly, '--date', REVIEW_DATE]);
    expect(run.code).toBe(0);
    for (const file of Object.values(REPORT_FILES)) expect(fs.existsSync(path.join(assembly, file))).toBe(true);
    expect(readReport(assembly)).toEqual(synthReport);
  });

  test('templates are named as the assembly path is given: relative to the working directory, as `cdk synth` names them', () => {
    const out = path.join(root, 'relative');
    const run = runCli(['report', 'cdk.out', '--date', REVIEW_DATE, '--out', out], root);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`; wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
    const sources = new Set(readReport(out).resources.map((r) => r.source));
    expect([...sources].sort()).toEqual(['cdk.out/Platform.template.json', expect.stringMatching(/^cdk\.out\/assembly-Prod\/ProdRegistry[0-9A-F]+\.template\.json$/)]);
  });

  test('an acknowledgment past its expiry: a finding, non-compliant, exit 1', () => {
    const out = path.join(root, 'expired');
    const run = runCli(['report', assembly, '--date', '2026-12-07', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^non-compliant: 1 finding, 1 acknowledgment in force, /);
    expect(readReport(out).findings).toEqual([
      expect.objectContaining({ ruleId: 'MLOPS-IAM-002', constructPath: 'Platform/TrainingRole/DefaultPolicy/Resource', expiredAcknowledgment: expect.objectContaining({ expires: '2026-12-06' }) }),
    ]);
  });

  test('--pack: only those packs judge', () => {
    const out = path.join(root, 'hipaa');
    const run = runCli(['report', assembly, '--pack', 'hipaa', '--date', REVIEW_DATE, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(1 pack)');
    expect(readReport(out).packs.map((p) => p.id)).toEqual(['hipaa']);
  });

  test('arguments', () => {
    expect(parseArguments(['report', '--out=reports', 'cdk.out', '--pack', 'hipaa', '--date', '2027-01-31'])).toEqual({
      command: 'report', assembly: 'cdk.out', packs: [HIPAA_SECURITY], date: new Date('2027-01-31T00:00:00.000Z'), out: 'reports',
    });
    expect(parseArguments(['report', 'cdk.out'])).toEqual(expect.objectContaining({ command: 'report', assembly: 'cdk.out' }));
    expect(parseArguments(['report', 'cdk.out'])).not.toHaveProperty('date');
  });
});

describe('report: bad input is one line and exit 2', () => {
  const dir = tempDir('report-bad');

  test.each([
    [['report'], 'report needs the cloud assembly'],
    [['report', 'a', 'b'], "report takes one cloud assembly (received 'a', 'b')"],
    [['report', 'cdk.out', '--format', 'json'], "unknown option '--format' for report"],
    [['report', 'cdk.out', '--date', '2026-02-30'], "option --date must be a date YYYY-MM-DD (received '2026-02-30')"],
    [['report', 'cdk.out', '--pack', 'sox'], "unknown pack 'sox'"],
  ])('%j: %s', (argv, message) => {
    expectOneLineError(runCli(argv), message);
  });

  test('a missing directory', () => {
    expectOneLineError(runCli(['report', 'nope'], dir), 'regulated-mlops: nope: no such file or directory');
  });

  test('a directory that is not an assembly, and a file', () => {
    fs.mkdirSync(path.join(dir, 'empty'));
    expectOneLineError(runCli(['report', 'empty'], dir), 'regulated-mlops: empty: a directory without manifest.json: not a cdk.out cloud assembly');
    fs.writeFileSync(path.join(dir, 'template.json'), '{"Resources": {}}');
    expectOneLineError(runCli(['report', 'template.json'], dir), 'regulated-mlops: template.json: not a directory: give a cdk.out cloud assembly');
  });

  test('a manifest that is not JSON, and one that names a missing template', () => {
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(path.join(dir, 'broken', 'manifest.json'), '{"version": ');
    expectOneLineError(runCli(['report', 'broken'], dir), 'regulated-mlops: broken/manifest.json: not a readable cloud assembly manifest');
    fs.mkdirSync(path.join(dir, 'missing'));
    fs.writeFileSync(path.join(dir, 'missing', 'manifest.json'), JSON.stringify({
      version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'S.template.json' } } },
    }));
    expectOneLineError(runCli(['report', 'missing'], dir), 'regulated-mlops: missing/S.template.json: no such file or directory');
  });

  test('an --out that cannot be created', () => {
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    expectOneLineError(runCli(['report', assembly, '--date', REVIEW_DATE, '--out', path.join(dir, 'a-file')]), 'cannot write the reports');
  });
});
