/** Where the command line writes and what it resolves paths against; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory relative paths (arguments, SARIF artifact URIs) are resolved against. */
  readonly cwd: string;
}

let streamErrorsHandled = false;

/** The real process streams and working directory. */
export function processIo(): CliIo {
  if (!streamErrorsHandled) {
    streamErrorsHandled = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      // A reader that stops early (`| head`) closes the pipe: the rest of the report is not wanted, end quietly.
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      process.stderr.write(`regulated-mlops: cannot write the report: ${e.message}\n`);
      process.exit(2);
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  };
}
