import * as fs from 'fs';
import * as path from 'path';
import { PolicyEngine } from '../../lib/policy/engine';
import { ALL_PACKS } from '../../lib/policy/packs';
import { expectOneLineError, fixture, runCli, tempDir } from './run-cli';

describe('unreadable or unrecognised input: exit 2, one line naming the file', () => {
  const dir = tempDir('bad-input');
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return name;
  };
  const check = (...args: string[]) => runCli(['check', ...args], dir);

  test('a missing file', () => {
    expectOneLineError(check('missing.template.json'), 'regulated-mlops: missing.template.json: no such file or directory');
  });

  test('unparseable YAML, with line and column', () => {
    const run = runCli(['check', fixture('unparseable.yaml')]);
    expectOneLineError(run, `regulated-mlops: ${fixture('unparseable.yaml')}: not valid YAML: line 3, column`);
  });

  test('invalid JSON, with line and column when the parser gives a position', () => {
    expectOneLineError(check(write('trailing-comma.json', '{\n  "Resources": {},\n}\n')), 'trailing-comma.json: not valid JSON: line 3, column 1:');
    expectOneLineError(check(write('token.json', '{\n  "Resources": x\n}\n')), "token.json: not valid JSON: unexpected token 'x'");
  });

  test('a directory without manifest.json', () => {
    fs.mkdirSync(path.join(dir, 'empty-dir'));
    expectOneLineError(check('empty-dir'), 'regulated-mlops: empty-dir: a directory without manifest.json');
  });

  test('JSON that is neither a template nor Kubernetes', () => {
    expectOneLineError(runCli(['check', fixture('not-a-template.json')]), `regulated-mlops: ${fixture('not-a-template.json')}: neither a CloudFormation template`);
  });

  test('empty files', () => {
    expectOneLineError(check(write('empty.yaml', '# nothing here\n')), 'empty.yaml: the file is empty');
    expectOneLineError(check(write('empty.json', '')), 'empty.json: not valid JSON: the file is empty');
  });

  test('a resource without Type, and Resources that is not an object', () => {
    expectOneLineError(check(write('no-type.json', '{"Resources": {"B": {"Properties": {}}}}')), 'no-type.json: resource "B" has no "Type"');
    expectOneLineError(check(write('list.yaml', 'Resources: [a, b]\n')), 'list.yaml: "Resources" is not an object');
  });

  test('a YAML template in several documents', () => {
    expectOneLineError(check(write('two.yaml', 'Resources: {}\n---\nResources: {}\n')), 'two.yaml: a CloudFormation template is one YAML document; this file has 2');
  });

  test('an unknown pack lists the valid ids', () => {
    expectOneLineError(runCli(['check', fixture('compliant.template.json'), '--pack', 'hipaa,sox']), `unknown pack 'sox'; valid packs: ${ALL_PACKS.map((p) => p.id).join(', ')}`);
  });

  test('the first bad path stops the run before any report is written', () => {
    const run = runCli(['check', fixture('violation.template.yaml'), 'nope.yaml']);
    expectOneLineError(run, 'nope.yaml: no such file or directory');
  });

  test('an unexpected error (a bug, a broken rule) is one line too, without its stack', () => {
    const spy = jest.spyOn(PolicyEngine.prototype, 'evaluate').mockImplementation(() => {
      throw new Error('rule table corrupted\n    at evaluate (engine.ts:1:1)');
    });
    try {
      expectOneLineError(runCli(['check', fixture('compliant.template.json')]), 'regulated-mlops: rule table corrupted');
    } finally {
      spy.mockRestore();
    }
  });
});
