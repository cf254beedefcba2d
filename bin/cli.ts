import { main } from '../lib/cli/main';

// exitCode rather than process.exit(): a large report piped to another process must finish writing first.
process.exitCode = main(process.argv.slice(2));
