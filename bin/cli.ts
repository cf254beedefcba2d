import { runCommand } from '../lib/cli/main';

// exitCode rather than process.exit(): a large report piped to another process must finish writing first.
void runCommand(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
