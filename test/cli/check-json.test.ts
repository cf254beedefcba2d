import type { ComplianceReport } from '../../lib/policy/report/json-report';
import { TOOL } from '../../lib/policy/report/json-report';
import { fixture, runCli } from './run-cli';

function report(args: string[]): { code: number; report: ComplianceReport } {
  const run = runCli(['check', ...args, '--format', 'json']);
  expect(run.stderr).toBe('');
  return { code: run.code, report: JSON.parse(run.stdout) };
}

describe('check --format json', () => {
  test('a compliant template: the compliance report, verdict compliant, exit 0', () => {
    const { code, report: r } = report([fixture('compliant.template.json')]);
    expect(code).toBe(0);
    expect(r.tool).toEqual(TOOL);
    expect(r.verdict).toBe('compliant');
    expect(r.findings).toEqual([]);
    expect(r.summary.documents).toBe(1);
    expect(r.resources.find((x) => x.logicalId === 'DataBucket')?.results).toContainEqual({ ruleId: 'MLOPS-S3-001', status: 'pass' });
  });

  test('a violating template: non-compliant with the S3 finding, exit 1', () => {
    const { code, report: r } = report([fixture('violation.template.yaml'), '--pack', 'hipaa,pci-dss-4.0.1']);
    expect(code).toBe(1);
    expect(r.verdict).toBe('non-compliant');
    expect(r.packs.map((p) => p.id)).toEqual(['hipaa', 'pci-dss-4.0.1']);
    expect(r.findings).toContainEqual(expect.objectContaining({
      ruleId: 'MLOPS-S3-001',
      logicalId: 'RawBucket',
      source: fixture('violation.template.yaml'),
      path: 'Properties/BucketEncryption',
      controls: expect.objectContaining({ hipaa: expect.arrayContaining(['164.312(a)(2)(iv)']) }),
    }));
    expect(r.findings.some((f) => f.ruleId === 'MLOPS-S3-001' && f.logicalId === 'EncryptedBucket')).toBe(false);
  });

  test('--now sets the evaluation date; the default is today', () => {
    expect(report([fixture('compliant.template.json'), '--now', '2027-01-31']).report.evaluatedAt).toBe('2027-01-31T00:00:00.000Z');
    const today = new Date().toISOString().slice(0, 10);
    expect(report([fixture('compliant.template.json')]).report.evaluatedAt.slice(0, 10)).toBe(today);
  });
});
