import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { fixture, REPO_ROOT, runCli, tempDir } from './run-cli';

/**
 * A small cloud assembly synthesized by the test: a top-level stack with an unencrypted and an SSE-KMS bucket,
 * a stage with a nested assembly, and Kubernetes YAML written beside the templates. The app is synthesized
 * without `aws:cdk:path` resource metadata (as a bare `new App()` does), so construct paths can only come
 * from the manifest's `aws:cdk:logicalId` entries.
 */
function synthesize(outdir: string): void {
  const app = new App({ outdir });
  const data = new Stack(app, 'Data');
  new s3.Bucket(data, 'Raw');
  new s3.Bucket(data, 'Sealed', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(data, 'Key', { enableKeyRotation: true }) });
  const prod = new Stage(app, 'Prod');
  new s3.Bucket(new Stack(prod, 'Inner'), 'Artifacts');
  app.synth();
  fs.copyFileSync(path.join(REPO_ROOT, fixture('serving.k8s.yaml')), path.join(outdir, 'serving.k8s.yaml'));
  fs.writeFileSync(path.join(outdir, 'notes.yaml'), 'owner: platform-team\n');
}

describe('check <cdk.out>', () => {
  const root = tempDir('assembly');
  synthesize(path.join(root, 'cdk.out'));
  const template = fs.readFileSync(path.join(root, 'cdk.out', 'Data.template.json'), 'utf-8');
  const resources = JSON.parse(template).Resources;
  const rawId = Object.keys(resources).find((id) => id.startsWith('Raw'))!;
  const sealedId = Object.keys(resources).find((id) => id.startsWith('Sealed') && resources[id].Type === 'AWS::S3::Bucket')!;

  test('the fixture assembly has no path metadata in its templates', () => {
    expect(template).not.toContain('aws:cdk:path');
  });

  describe('text', () => {
    const run = runCli(['check', 'cdk.out'], root);
    const blocks = run.stdout.split('\n\n').filter((b) => b.startsWith('MLOPS-S3-001 '));

    test('exits 1 with a finding per unencrypted bucket, across the nested assembly', () => {
      expect(run.code).toBe(1);
      expect(blocks).toHaveLength(2);
      expect(blocks.join('\n')).not.toContain(sealedId);
    });

    test('findings name construct paths from the manifest and the template line', () => {
      const line = template.split('\n').findIndex((l) => l.includes(`"${rawId}": {`)) + 1;
      const raw = blocks.find((b) => b.includes(rawId))!;
      expect(raw).toMatch(new RegExp(`location: +cdk\\.out/Data\\.template\\.json:${line}$`, 'm'));
      expect(raw).toMatch(new RegExp(`resource: +Data/Raw/Resource \\(${rawId}, AWS::S3::Bucket\\)$`, 'm'));
      const inner = blocks.find((b) => b.includes('Prod/Inner/Artifacts/Resource'))!;
      expect(inner).toMatch(/location: +cdk\.out\/assembly-Prod\/ProdInner[0-9A-F]+\.template\.json:\d+$/m);
    });

    test('the Kubernetes YAML beside the templates is read; other YAML is skipped with a note', () => {
      const templates = ['Data.template.json', `assembly-Prod/${fs.readdirSync(path.join(root, 'cdk.out', 'assembly-Prod')).find((f) => f.endsWith('.template.json'))}`];
      const templateResources = templates.reduce((n, t) => n + Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'cdk.out', t), 'utf-8')).Resources).length, 0);
      expect(run.stdout).toMatch(new RegExp(`\\d+ findings? in ${templateResources + 3} resources`));
      expect(run.stderr).toBe('regulated-mlops: cdk.out/notes.yaml: skipped (not Kubernetes manifests)\n');
    });
  });

  test('json: documents of every stack and the manifests, with stack names and construct paths', () => {
    const run = runCli(['check', 'cdk.out', '--format', 'json'], root);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toContainEqual(expect.objectContaining({
      ruleId: 'MLOPS-S3-001', stack: 'Data', logicalId: rawId, constructPath: 'Data/Raw/Resource', source: 'cdk.out/Data.template.json',
    }));
    expect(report.findings).toContainEqual(expect.objectContaining({ stack: 'Prod/Inner', constructPath: 'Prod/Inner/Artifacts/Resource' }));
  });

  test('sarif: logical locations are construct paths, artifact URIs relative to the working directory', () => {
    const run = runCli(['check', 'cdk.out', '--format', 'sarif'], root);
    const results = JSON.parse(run.stdout).runs[0].results.filter((r: any) => r.ruleId === 'MLOPS-S3-001');
    const raw = results.find((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === 'Data/Raw/Resource');
    expect(raw.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'cdk.out/Data.template.json', uriBaseId: '%SRCROOT%' });
  });

  test('a template inside the assembly can also be checked on its own (without construct paths)', () => {
    const run = runCli(['check', 'cdk.out/Data.template.json', '--pack', 'hipaa'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`resource: +${rawId} \\(AWS::S3::Bucket\\)$`, 'm'));
  });

  test('a manifest whose stack has no template file is a one-line error naming the manifest', () => {
    const dir = tempDir('broken-assembly');
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: {} } } }));
    const run = runCli(['check', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`regulated-mlops: ${path.join(dir, 'manifest.json')}: stack artifact "S" has no properties.templateFile\n`);
  });

  test('a manifest naming a missing template is a one-line error naming the template', () => {
    const dir = tempDir('missing-template');
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }));
    const run = runCli(['check', dir]);
    expect(run.stderr).toBe(`regulated-mlops: ${path.join(dir, 'S.template.json')}: no such file or directory\n`);
    expect(run.code).toBe(2);
  });
});
