import { TOOL } from '../policy/report/json-report';
import { parseArguments } from './args';
import { runCheck } from './check-command';
import { CliError } from './cli-error';
import type * as DiffCommand from './diff-command';
import { CliIo, processIo } from './io';
import { runReport } from './report-command';
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
    if (isVerifyEndpoint(argv)) {
      throw new CliError('verify-endpoint calls AWS and runs asynchronously: the entry point must call runCommand() instead of main()');
    }
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
      case 'report':
        return runReport(args, io);
      case 'diff':
        return diffCommand().runDiff(args, io);
    }
  } catch (e) {
    const line = e instanceof CliError ? e.toLine() : new CliError(firstLine(e)).toLine();
    io.stderr(`${line}\n`);
    return EXIT.error;
  }
}

/**
 * The whole command line, the commands that call AWS (`verify-endpoint`) included; they run asynchronously, so this
 * returns a promise of the exit code. The other commands run as in `main`.
 */
export async function runCommand(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  if (!isVerifyEndpoint(argv)) return main(argv, io);
  try {
    // Loaded only here, so check and rules never load the AWS SDK.
    const { runVerifyEndpoint } = await import('./verify-endpoint-command');
    return await runVerifyEndpoint(argv.slice(1), io);
  } catch (e) {
    const line = e instanceof CliError ? e.toLine() : new CliError(firstLine(e)).toLine();
    io.stderr(`${line}\n`);
    return EXIT.error;
  }
}

/**
 * The diff command is loaded on first use: @aws-cdk/cloudformation-diff costs about 200 ms of startup, which the
 * other commands do not need to pay.
 */
function diffCommand(): typeof DiffCommand {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./diff-command');
}

/** `verify-endpoint ...`, unless help is asked for (which `main` answers). */
function isVerifyEndpoint(argv: readonly string[]): boolean {
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  return argv[0] === 'verify-endpoint' && !options.some((a) => a === '--help' || a === '-h');
}

/** An unexpected error (a bug, a broken pack) still gets one line: its message, not its stack. */
function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n').find((l) => l.trim() !== '') ?? 'unexpected error';
}
