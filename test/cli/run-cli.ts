import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

/** The repository root: fixture paths in the tests are relative to it, as a user in a checkout would type them. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = 'test/cli/fixtures';
export const fixture = (name: string) => `${FIXTURES}/${name}`;

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command line in-process, capturing what it writes and the exit code it returns. */
export function runCli(argv: readonly string[], cwd = REPO_ROOT): CliRun {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

const tempDirs: string[] = [];
// Registered once when a test file imports this module, so tempDir() may be called inside tests too.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `regulated-mlops-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** The 1-based line of the first line of a file matching a pattern (to check reported lines without hard-coding them). */
export function lineMatching(file: string, pattern: RegExp): number {
  const index = fs.readFileSync(path.resolve(REPO_ROOT, file), 'utf-8').split('\n').findIndex((l) => pattern.test(l));
  if (index < 0) throw new Error(`${file} has no line matching ${pattern}`);
  return index + 1;
}

/** Asserts the shape of a usage or input error: exit 2, nothing on stdout, one line on stderr, no stack trace. */
export function expectOneLineError(run: CliRun, ...fragments: string[]): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^regulated-mlops: /);
  expect(run.stderr).not.toContain('    at ');
  for (const fragment of fragments) expect(run.stderr).toContain(fragment);
}
