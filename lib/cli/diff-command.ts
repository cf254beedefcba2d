import { compareAssemblies } from '../diff/compare-assemblies';
import type { DiffFormat } from './args';
import { formatDiffText } from './format-diff-text';
import type { CliIo } from './io';
import { readAssembly } from './read-assembly';

/** Options of `diff`. */
export interface DiffOptions {
  /** The two cloud assemblies, as the user typed them. */
  readonly oldAssembly: string;
  readonly newAssembly: string;
  /** The date rules and acknowledgments are judged on. @default - today */
  readonly date?: Date;
  readonly expiringWithinDays: number;
  readonly format: DiffFormat;
}

/**
 * `diff`: what a security reviewer must look at between two synths. Exit code 1 when there is anything to review,
 * 0 when there is nothing.
 */
export function runDiff(options: DiffOptions, io: CliIo): number {
  const oldAssembly = readAssembly(options.oldAssembly, io.cwd);
  const newAssembly = readAssembly(options.newAssembly, io.cwd);
  const diff = compareAssemblies(oldAssembly, newAssembly, { date: options.date ?? today(), expiringWithinDays: options.expiringWithinDays });
  io.stdout(options.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiffText(diff));
  return diff.needsReview ? 1 : 0;
}

/** Today as a calendar date (UTC midnight), like a `--date` given on the command line. */
function today(): Date {
  return new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
}
