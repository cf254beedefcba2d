import * as fs from 'fs';
import * as path from 'path';
import { loadInputs } from '../../lib/cli/load-input';
import { fixture, lineMatching, REPO_ROOT, runCli, tempDir } from './run-cli';

describe('check <Kubernetes manifests>', () => {
  test('every document of a multi-document file becomes a resource, with the line it starts on', () => {
    const inputs = loadInputs([fixture('serving.k8s.yaml')], REPO_ROOT);
    expect(inputs.documents).toHaveLength(1);
    const [document] = inputs.documents;
    expect(document.kind).toBe('kubernetes');
    expect(document.resources.map((r) => [r.logicalId, r.type])).toEqual([
      ['Namespace/ml-serving', 'v1/Namespace'],
      ['Deployment/ml-serving/model-server', 'apps/v1/Deployment'],
      ['Service/ml-serving/model-server', 'v1/Service'],
    ]);
    const starts = fs.readFileSync(path.join(REPO_ROOT, fixture('serving.k8s.yaml')), 'utf-8').split('\n')
      .map((l, i) => (l.startsWith('apiVersion:') ? i + 1 : 0)).filter(Boolean);
    expect(document.resources.map((r) => inputs.lineOf(document.source, r.logicalId))).toEqual(starts);
    expect(starts[0]).toBe(lineMatching(fixture('serving.k8s.yaml'), /^apiVersion: v1$/));
  });

  test('the text summary counts the objects read; every finding names an object of the file', () => {
    const run = runCli(['check', fixture('serving.k8s.yaml')]);
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ in 3 resources \(\d+ packs\)\n$/);
    for (const block of run.stdout.split('\n\n').slice(0, -1)) expect(block).toMatch(/location: +test\/cli\/fixtures\/serving\.k8s\.yaml:\d+$/m);
  });

  test('a List is expanded into its items, each with its own line', () => {
    const dir = tempDir('k8s-list');
    fs.writeFileSync(path.join(dir, 'list.yaml'), [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: { name: a }',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata: { name: b, namespace: ml }',
      '',
    ].join('\n'));
    const inputs = loadInputs(['list.yaml'], dir);
    const [document] = inputs.documents;
    expect(document.resources.map((r) => r.logicalId)).toEqual(['ConfigMap/a', 'ConfigMap/ml/b']);
    expect(document.resources.map((r) => inputs.lineOf('list.yaml', r.logicalId))).toEqual([4, 7]);
  });

  test('a single JSON Kubernetes object is read too', () => {
    const dir = tempDir('k8s-json');
    fs.writeFileSync(path.join(dir, 'pod.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } }));
    expect(loadInputs(['pod.json'], dir).documents[0].resources.map((r) => r.type)).toEqual(['v1/Pod']);
  });

  test('a document that is not a Kubernetes object is a one-line error naming the document and its line', () => {
    const dir = tempDir('k8s-bad');
    fs.writeFileSync(path.join(dir, 'mixed.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nname: not-k8s\n');
    const run = runCli(['check', 'mixed.yaml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('regulated-mlops: mixed.yaml: document 2 (line 5) is not a Kubernetes object: it needs "apiVersion" and "kind"\n');
  });
});
