import { spawnSync } from 'child_process';
import * as path from 'path';
import { fixture, lineMatching, REPO_ROOT } from './run-cli';

/**
 * The published entry point, as `npx regulated-mlops` runs it: a separate node process. Forced onto the
 * TypeScript source (REGULATED_MLOPS_FROM_SOURCE=1) so it tests this checkout even when a stale dist/ exists.
 */
function spawnCli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'regulated-mlops.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, REGULATED_MLOPS_FROM_SOURCE: '1' },
    encoding: 'utf-8',
    timeout: 120_000,
  });
}

describe('bin/regulated-mlops.js', () => {
  test('check on a violating template: exit code 1 and the finding on stdout', () => {
    const child = spawnCli('check', fixture('violation.template.yaml'), '--pack', 'hipaa');
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    expect(child.stdout).toContain('MLOPS-S3-001 S3 bucket encrypts with SSE-KMS and a customer-managed key');
    expect(child.stdout).toContain(`${fixture('violation.template.yaml')}:${lineMatching(fixture('violation.template.yaml'), /^ {2}RawBucket:/)}`);
    expect(child.stdout).toMatch(/findings? in 3 resources \(1 pack\)\n$/);
  });

  test('bad input: exit code 2 and one line on stderr, no stack trace', () => {
    const child = spawnCli('check', 'does-not-exist.yaml');
    expect(child.status).toBe(2);
    expect(child.stdout).toBe('');
    expect(child.stderr).toBe('regulated-mlops: does-not-exist.yaml: no such file or directory\n');
  });
});
