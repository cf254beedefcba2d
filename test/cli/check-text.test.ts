import { ALL_PACKS } from '../../lib/policy/packs';
import { fixture, lineMatching, runCli } from './run-cli';

describe('check --format text', () => {
  test('a compliant template: exit 0 and the summary line only', () => {
    const run = runCli(['check', fixture('compliant.template.json')]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`0 findings in 3 resources (${ALL_PACKS.length} packs)\n`);
    expect(run.code).toBe(0);
  });

  test('text is the default format and equals --format text', () => {
    const implicit = runCli(['check', fixture('violation.template.yaml'), '--now', '2026-11-26']);
    const explicit = runCli(['check', '--format', 'text', fixture('violation.template.yaml'), '--now=2026-11-26']);
    expect(explicit).toEqual(implicit);
  });

  describe('a YAML template with short-form tags and an unencrypted bucket', () => {
    const run = runCli(['check', fixture('violation.template.yaml')]);
    const blocks = run.stdout.trimEnd().split('\n\n');
    const s3 = blocks.filter((b) => b.startsWith('MLOPS-S3-001 '));

    test('exits 1', () => {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
    });

    test('one block for the unencrypted bucket, none for the SSE-KMS one (its !GetAtt key was understood)', () => {
      expect(s3).toHaveLength(1);
      expect(s3[0]).toContain('RawBucket');
      expect(run.stdout).not.toMatch(/MLOPS-S3-001[^\n]*\n(?: {2}[^\n]*\n)* {2}resource: +EncryptedBucket/);
    });

    test('the block names rule, title, severity, file:line, resource, property, message, controls and fix', () => {
      const line = lineMatching(fixture('violation.template.yaml'), /^ {2}RawBucket:/);
      const block = s3[0].split('\n');
      expect(block[0]).toBe('MLOPS-S3-001 S3 bucket encrypts with SSE-KMS and a customer-managed key');
      const field = (name: string) => block.find((l) => l.startsWith(`  ${name}:`))?.replace(/^ {2}[a-z]+: +/, '');
      expect(field('severity')).toBe('high');
      expect(field('location')).toBe(`${fixture('violation.template.yaml')}:${line}`);
      expect(field('resource')).toBe('RawBucket (AWS::S3::Bucket)');
      expect(field('property')).toBe('Properties/BucketEncryption');
      expect(field('message')).toBe('the bucket has no default encryption configuration');
      expect(field('controls')).toContain('HIPAA 164.312(a)(2)(iv)');
      expect(field('fix')).toContain('SSEAlgorithm: aws:kms');
    });

    test('ends with the summary line', () => {
      expect(blocks[blocks.length - 1]).toMatch(new RegExp(`^\\d+ findings? in 3 resources \\(${ALL_PACKS.length} packs\\)$`));
      expect(blocks).toHaveLength(Number(/^(\d+)/.exec(blocks[blocks.length - 1])![1]) + 1);
    });
  });

  test('--pack limits the packs: controls of other frameworks disappear', () => {
    const run = runCli(['check', fixture('violation.template.yaml'), '--pack', 'hipaa']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\(1 pack\)\n$/);
    const block = run.stdout.split('\n\n').find((b) => b.startsWith('MLOPS-S3-001 '))!;
    expect(block).toMatch(/controls: +HIPAA [^\n]*$/m);
    expect(block).not.toContain('PCI DSS');
  });

  test('comma-separated and repeated --pack options select the union', () => {
    const run = runCli(['check', fixture('compliant.template.json'), '--pack', 'hipaa,gdpr', '--pack=pci-dss-4.0.1']);
    expect(run.stdout).toBe('0 findings in 3 resources (3 packs)\n');
    expect(run.code).toBe(0);
  });

  test('a pack without the S3 rule finds nothing in the violating template', () => {
    const run = runCli(['check', fixture('violation.template.yaml'), '--pack', 'k8s-pss-restricted']);
    expect(run.stdout).not.toContain('MLOPS-S3-001');
  });

  test('several paths are checked together', () => {
    const run = runCli(['check', fixture('compliant.template.json'), fixture('violation.template.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ in 6 resources /);
  });
});
