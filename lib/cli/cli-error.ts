/**
 * A problem the user can fix (bad arguments, an unreadable or unrecognised input). The command reports it
 * as one line, `regulated-mlops: <file>: <problem>`, and exits with code 2; never a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** The file or directory the problem is about, as the user named it. */
    public readonly file?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }

  /** The one-line report. Newlines from wrapped parser messages are folded so CI logs keep one line. */
  public toLine(): string {
    const text = `${this.file !== undefined ? `${this.file}: ` : ''}${this.message}`;
    return `regulated-mlops: ${text.replace(/\s*\n\s*/g, ' ').trim()}`;
  }
}

/** `no such file or directory` rather than Node's `ENOENT: no such file or directory, open '/abs/path'`. */
export function describeFileError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'a parent of this path is not a directory';
    default: return `cannot be read (${(e as Error)?.message ?? String(e)})`;
  }
}
