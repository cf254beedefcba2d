import * as fs from 'fs';
import * as path from 'path';
import { parseSource } from '../../lib/cli/parse-source';
import { jsonResourceLines } from '../../lib/cli/json-lines';
import { fixture, REPO_ROOT } from './run-cli';

describe('resource lines', () => {
  test('JSON: the line of each key under Resources', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, fixture('compliant.template.json')), 'utf-8');
    const expected = ['DataKey', 'DataBucket', 'DataBucketPolicy'].map((id) => [id, text.split('\n').findIndex((l) => l.startsWith(`    "${id}": {`)) + 1]);
    expect([...jsonResourceLines(text)]).toEqual(expected);
  });

  test('JSON: strings with braces, quotes and escapes, nested "Resources" keys, keys split from their colon', () => {
    const text = [
      '{',
      '  "Description": "a } tricky { \\"Resources\\": [ string",',
      '  "Metadata": { "Resources": { "NotThis": {} } },',
      '  "Resources": {',
      '    "A\\u0042": { "Type": "X", "Properties": { "Resources": { "Nested": 1 }, "S": "}}]]" } },',
      '    "C"',
      '      : { "Type": "Y" }',
      '  },',
      '  "Outputs": { "D": {} }',
      '}',
    ].join('\n');
    expect(JSON.parse(text).Resources).toBeDefined();
    expect([...jsonResourceLines(text)]).toEqual([['AB', 5], ['C', 6]]);
  });

  test('JSON: minified templates put everything on line 1', () => {
    expect([...jsonResourceLines('{"Resources":{"A":{"Type":"X"},"B":{"Type":"Y"}}}')]).toEqual([['A', 1], ['B', 1]]);
  });

  test('YAML: the line of each key under Resources, through the yaml source ranges', () => {
    const text = 'Parameters:\n  P: {Type: String}\nResources:\n  A:\n    Type: X\n\n  "B":\n    Type: !Ref P\n';
    const parsed = parseSource(text, 't.yaml', 't.yaml');
    if (parsed.syntax !== 'yaml') throw new Error('expected YAML');
    expect([...parsed.documents[0].keyLines('Resources')]).toEqual([['A', 4], ['B', 7]]);
  });

  test('JSON line finding is linear: 20,000 resources in well under a second', () => {
    const resources = Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [`Bucket${i}`, { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'k', Value: '{"x"}' }] } }]));
    const text = JSON.stringify({ Resources: resources }, null, 1);
    const started = process.hrtime.bigint();
    const lines = jsonResourceLines(text);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(lines.size).toBe(20000);
    expect(lines.get('Bucket19999')).toBe(text.split('\n').findIndex((l) => l.startsWith('  "Bucket19999"')) + 1);
  });
});
