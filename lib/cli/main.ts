import { TOOL } from '../policy/report/json-report';
import { parseArguments } from './args';
import { runCheck } from './check-command';
import { CliError } from './cli-error';
import { CliIo, processIo } from './io';
import { runRules } from './rules-command';
import { usage } from './usage';

/** Exit codes of the command line. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/**
 * The `regulated-mlops` command line. Returns the exit code instead of exiting, so tests run it in-process
 * and the entry point can let stdout drain. Every error ends as one line on stderr and exit code 2.
 */
export function main(argv: readonly string[], io: CliIo = processIo()): number {
  try {
    const args = parseArguments(argv);
    switch (args.command) {
      case 'help':
        io.stdout(usage());
        return EXIT.clean;
      case 'version':
        io.stdout(`${TOOL.version}\n`);
        return EXIT.clean;
      case 'rules':
        return runRules(args, io);
      case 'check':
        return runCheck(args, io);
    }
  } catch (e) {
    const line = e instanceof CliError ? e.toLine() : new CliError(firstLine(e)).toLine();
    io.stderr(`${line}\n`);
    return EXIT.error;
  }
}

/** An unexpected error (a bug, a broken pack) still gets one line: its message, not its stack. */
function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n').find((l) => l.trim() !== '') ?? 'unexpected error';
}
