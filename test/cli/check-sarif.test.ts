import * as fs from 'fs';
import * as path from 'path';
import { fixture, lineMatching, REPO_ROOT, runCli, tempDir } from './run-cli';

/**
 * The parts of SARIF 2.1.0 (OASIS, sarif-schema-2.1.0.json) that are required, or that GitHub code scanning
 * requires, checked field by field.
 */
function expectValidSarif(log: any): void {
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(Array.isArray(log.runs)).toBe(true);
  for (const run of log.runs) {
    const driver = run.tool?.driver;
    expect(typeof driver?.name).toBe('string');
    expect(typeof driver.version).toBe('string');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    const ids = driver.rules.map((r: any) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of driver.rules) {
      expect(rule.id).toMatch(/^MLOPS-[A-Z0-9]+-\d{3}$/);
      expect(rule.name).toMatch(/^[A-Za-z0-9]+$/);
      for (const key of ['shortDescription', 'fullDescription', 'help']) expect(rule[key].text.length).toBeGreaterThan(0);
      expect(rule.properties.tags.every((t: unknown) => typeof t === 'string')).toBe(true);
      const severity = Number(rule.properties['security-severity']);
      expect(typeof rule.properties['security-severity']).toBe('string');
      expect(severity).toBeGreaterThanOrEqual(0);
      expect(severity).toBeLessThanOrEqual(10);
      expect(['very-high', 'high', 'medium', 'low']).toContain(rule.properties.precision);
    }
    for (const result of run.results) {
      expect(ids).toContain(result.ruleId);
      expect(driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations.length).toBeGreaterThan(0);
      for (const location of result.locations) {
        const physical = location.physicalLocation;
        expect(() => new URL(physical.artifactLocation.uri, 'file:///base/')).not.toThrow();
        if (physical.artifactLocation.uriBaseId) expect(run.originalUriBaseIds[physical.artifactLocation.uriBaseId].uri).toMatch(/^file:\/\/.*\/$/);
        expect(Number.isInteger(physical.region.startLine)).toBe(true);
        expect(physical.region.startLine).toBeGreaterThanOrEqual(1);
        expect(typeof location.logicalLocations[0].fullyQualifiedName).toBe('string');
      }
    }
  }
}

describe('check --format sarif', () => {
  test('a violating YAML template: a valid log whose result points at the bucket line, exit 1', () => {
    const run = runCli(['check', fixture('violation.template.yaml'), '--format', 'sarif']);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    expectValidSarif(log);
    const [sarifRun] = log.runs;
    expect(sarifRun.tool.driver.name).toBe('regulated-mlops');

    const rule = sarifRun.tool.driver.rules.find((r: any) => r.id === 'MLOPS-S3-001');
    expect(rule.shortDescription.text).toBe('S3 bucket encrypts with SSE-KMS and a customer-managed key');
    expect(rule.fullDescription.text).toMatch(/customer-managed key can/);
    expect(rule.help.text).toMatch(/SSEAlgorithm: aws:kms/);
    expect(rule.properties['security-severity']).toBe('8.0');
    expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'HIPAA 164.312(a)(2)(iv)']));

    const results = sarifRun.results.filter((r: any) => r.ruleId === 'MLOPS-S3-001');
    expect(results).toHaveLength(1);
    expect(results[0].level).toBe('error');
    expect(results[0].message.text).toContain('no default encryption configuration');
    expect(results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: fixture('violation.template.yaml'), uriBaseId: '%SRCROOT%' },
      region: { startLine: lineMatching(fixture('violation.template.yaml'), /^ {2}RawBucket:/) },
    });
    expect(results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe('RawBucket');
    expect(sarifRun.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${REPO_ROOT}/`);
  });

  test('a JSON template: startLine is the line of the resource key', () => {
    const dir = tempDir('sarif');
    const template = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, fixture('compliant.template.json')), 'utf-8'));
    delete template.Resources.DataBucket.Properties.BucketEncryption;
    const file = path.join(dir, 'weak.template.json');
    fs.writeFileSync(file, JSON.stringify(template, null, 2));
    const run = runCli(['check', 'weak.template.json', '--format', 'sarif'], dir);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    expectValidSarif(log);
    const result = log.runs[0].results.find((r: any) => r.ruleId === 'MLOPS-S3-001');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('weak.template.json');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(
      fs.readFileSync(file, 'utf-8').split('\n').findIndex((l) => l.includes('"DataBucket": {')) + 1,
    );
  });

  test('a file outside the working directory gets an absolute file URI', () => {
    const run = runCli(['check', path.join(REPO_ROOT, fixture('violation.template.yaml')), '--format', 'sarif'], tempDir('outside'));
    const result = JSON.parse(run.stdout).runs[0].results.find((r: any) => r.ruleId === 'MLOPS-S3-001');
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: `file://${REPO_ROOT}/${fixture('violation.template.yaml')}` });
  });

  test('a compliant template: a valid log with the rules that ran and no results, exit 0', () => {
    const run = runCli(['check', fixture('compliant.template.json'), '--format', 'sarif', '--pack', 'hipaa']);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout);
    expectValidSarif(log);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('MLOPS-S3-001');
  });

  test('partial fingerprints are stable when the resource moves', () => {
    const dir = tempDir('fingerprint');
    const text = fs.readFileSync(path.join(REPO_ROOT, fixture('violation.template.yaml')), 'utf-8');
    fs.writeFileSync(path.join(dir, 't.yaml'), text);
    const before = JSON.parse(runCli(['check', 't.yaml', '--format', 'sarif'], dir).stdout).runs[0].results;
    fs.writeFileSync(path.join(dir, 't.yaml'), `# moved down\n\n${text}`);
    const after = JSON.parse(runCli(['check', 't.yaml', '--format', 'sarif'], dir).stdout).runs[0].results;
    expect(after.map((r: any) => r.partialFingerprints)).toEqual(before.map((r: any) => r.partialFingerprints));
    expect(after[0].locations[0].physicalLocation.region.startLine).toBe(before[0].locations[0].physicalLocation.region.startLine + 2);
  });
});
