import { parseArguments } from '../../lib/cli/args';
import { ALL_PACKS } from '../../lib/policy/packs';
import { TOOL } from '../../lib/policy/report/json-report';
import { expectOneLineError, fixture, runCli } from './run-cli';

describe('arguments', () => {
  test.each([[['--help']], [['-h']], [['help']], [['check', '--help']], [['check', fixture('nope.json'), '--bogus', '-h']]])('%j prints usage, exit 0', (argv) => {
    const run = runCli(argv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage:\n {2}regulated-mlops check <path>/);
    expect(run.stdout).toContain('Exit codes: 0 no findings, 1 findings, 2 bad usage or unreadable input.');
    expect(run.stderr).toBe('');
  });

  test('--version prints the version', () => {
    expect(runCli(['--version'])).toEqual({ code: 0, stdout: `${TOOL.version}\n`, stderr: '' });
  });

  test.each([
    [[], 'no command given'],
    [['scan', 'x'], "unknown command 'scan'"],
    [['--verbose'], "unknown option '--verbose'"],
    [['check'], 'check needs a path'],
    [['check', 'x.json', '--bogus'], "unknown option '--bogus' for check"],
    [['check', 'x.json', '--format', 'xml'], "option --format must be one of text, json, sarif (received 'xml')"],
    [['check', 'x.json', '--format'], 'option --format needs a value'],
    [['check', 'x.json', '--pack', '--format', 'json'], 'option --pack needs a value'],
    [['check', 'x.json', '--pack', ','], 'option --pack needs at least one pack id'],
    [['check', 'x.json', '--now', '2026-02-30'], "option --now must be a date YYYY-MM-DD (received '2026-02-30')"],
    [['check', 'x.json', '--now', 'tomorrow'], 'option --now must be a date'],
    [['rules', 'x.json'], "rules takes no paths (received 'x.json')"],
    [['rules', '--now', '2026-01-01'], "unknown option '--now' for rules"],
  ])('%j: exit 2, %s', (argv, message) => {
    expectOneLineError(runCli(argv), message);
  });

  test('parsed check options', () => {
    expect(parseArguments(['check', '--format=sarif', 'a.json', '--pack', 'gdpr,hipaa', 'b.yaml', '--now', '2027-03-01'])).toEqual({
      command: 'check',
      paths: ['a.json', 'b.yaml'],
      packs: ALL_PACKS.filter((p) => p.id === 'hipaa' || p.id === 'gdpr'),
      format: 'sarif',
      now: new Date('2027-03-01T00:00:00.000Z'),
    });
  });

  test('defaults: every pack, text, no date (today); `--` ends the options', () => {
    expect(parseArguments(['check', '--', '--odd-name.json'])).toEqual({ command: 'check', paths: ['--odd-name.json'], packs: [...ALL_PACKS], format: 'text' });
  });
});

describe('rules', () => {
  test('lists the catalog rules of the packs with id, severity, title and packs', () => {
    const run = runCli(['rules']);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +SEVERITY +TITLE +PACKS$/);
    expect(rows.find((r) => r.startsWith('MLOPS-S3-001 '))).toMatch(/^MLOPS-S3-001 +high +S3 bucket encrypts with SSE-KMS and a customer-managed key +\S*hipaa\S*$/);
    expect(rows[rows.length - 1]).toMatch(/^\d+ rules? in \d+ packs$/);
  });

  test('--pack and --format json', () => {
    const run = runCli(['rules', '--pack', 'hipaa', '--format', 'json']);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout);
    expect(rules).toContainEqual(expect.objectContaining({ id: 'MLOPS-S3-001', severity: 'high', packs: ['hipaa'], acknowledgeable: false }));
    expect(rules.every((r: any) => r.packs.length === 1)).toBe(true);
  });
});
